package dev.cara.sdk.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;

/**
 * JSON-P trees of response bodies, for tests that look at a document's fields rather than at the
 * model (the SDK's readers return the model only; its API shows no JSON-P types).
 */
public final class JsonTrees {
    private JsonTrees() {
    }

    /** The JSON object in {@code json}; a test fails with JSON-P's exception if it is not one. */
    public static JsonObject object(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
