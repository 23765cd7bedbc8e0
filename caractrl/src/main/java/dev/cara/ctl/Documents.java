package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints what {@link CaraJson} writes, for people: JSON indented, or the same tree as YAML. The tree
 * always comes from the wire codec, so both keep its field names, its order and its omissions.
 */
final class Documents {
    private Documents() {
    }

    /** The wire JSON, indented. */
    static String prettyJson(String wireJson) {
        JsonObject tree = tree(wireJson);
        JsonWriterFactory factory = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
        StringWriter sw = new StringWriter(wireJson.length() * 2);
        try (JsonWriter w = factory.createWriter(sw)) {
            w.write(tree);
        }
        return sw.toString().strip();
    }

    /** The wire JSON as a block-style YAML document (without the leading {@code ---}). */
    static String yaml(String wireJson) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE); // long messages stay on one line
        options.setSplitLines(false);
        // SnakeYAML quotes any string that would read back as another type ("12", "true", timestamps).
        return new Yaml(options).dump(toPlain(tree(wireJson))).strip();
    }

    /** What CaraJson wrote, as a JSON-P tree; well-formed by construction, so read without the wire checks. */
    static JsonObject tree(String wireJson) {
        try (JsonReader reader = Json.createReader(new StringReader(wireJson))) {
            return reader.readObject();
        }
    }

    /** A JSON-P tree as ordered maps, lists, strings, numbers and booleans. */
    static Object toPlain(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((JsonObject) value).forEach((k, v) -> map.put(k, toPlain(v)));
                return map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonValue v : (JsonArray) value) {
                    list.add(toPlain(v));
                }
                return list;
            }
            case STRING -> {
                return ((JsonString) value).getString();
            }
            case NUMBER -> {
                JsonNumber n = (JsonNumber) value;
                return n.isIntegral() ? (Object) n.bigIntegerValue() : n.bigDecimalValue();
            }
            case TRUE -> {
                return Boolean.TRUE;
            }
            case FALSE -> {
                return Boolean.FALSE;
            }
            default -> {
                return null;
            }
        }
    }
}
