package dev.cara.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client-written metadata that a manifest builder ({@link ManifestBuilder}: {@link Node.Builder}, {@link Project.Builder})
 * collects: the name, labels and annotations, each checked when it is set with the field path a
 * manifest would have. Owned by the one builder that holds it, so it is not thread-safe either.
 */
final class MetadataBuilder {
    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    MetadataBuilder(String name) {
        this.name = Names.requireNodeName("metadata.name", name);
    }

    void label(String key, String value) {
        Names.requireLabelKey("metadata.labels", key);
        labels.put(key, Names.requireLabelValue("metadata.labels." + key, Objects.requireNonNull(value, "value")));
    }

    void annotation(String key, String value) {
        Names.requireLabelKey("metadata.annotations", key);
        annotations.put(key, Objects.requireNonNull(value, "value"));
    }

    /** Metadata for a manifest that the control plane has not stored yet: no times, no resourceVersion. */
    ObjectMeta build() {
        return new ObjectMeta(name, labels, annotations, null, null, null);
    }

    /**
     * Checks a document's {@code apiVersion} ({@code caravanserai/v1}) and {@code kind}, in the words
     * that every kind's {@code validate()} uses.
     *
     * @throws InvalidException naming the field, the value and what it must be
     */
    static void checkTypeMeta(String apiVersion, String kind, String expectedKind) {
        if (!Node.API_VERSION.equals(apiVersion)) {
            throw new InvalidException("apiVersion", apiVersion, "\"" + Node.API_VERSION + "\"");
        }
        if (!expectedKind.equals(kind)) {
            throw new InvalidException("kind", kind, "\"" + expectedKind + "\"");
        }
    }

    /** Whether the client-written parts of two objects' metadata (labels, annotations) are the same. */
    static boolean sameClientWritten(ObjectMeta a, ObjectMeta b) {
        return a.labels().equals(b.labels()) && a.annotations().equals(b.annotations());
    }
}
