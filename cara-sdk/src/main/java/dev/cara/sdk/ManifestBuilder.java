package dev.cara.sdk;

import java.util.Map;

/**
 * What every manifest builder ({@link Node.Builder}, {@link Project.Builder}) takes the same way: the
 * name, labels and annotations, each checked when it is set ({@link MetadataBuilder}). One place, so
 * that a new kind's builder cannot take metadata differently.
 *
 * @param <B> the builder itself, so that the setters chain with the kind's own
 */
abstract sealed class ManifestBuilder<B extends ManifestBuilder<B>> permits Node.Builder, Project.Builder {
    final MetadataBuilder metadata;

    ManifestBuilder(String name) {
        this.metadata = new MetadataBuilder(name);
    }

    public B label(String key, String value) {
        metadata.label(key, value);
        return self();
    }

    public B labels(Map<String, String> values) {
        values.forEach(this::label);
        return self();
    }

    public B annotation(String key, String value) {
        metadata.annotation(key, value);
        return self();
    }

    @SuppressWarnings("unchecked") // the permitted subclasses are each their own B
    private B self() {
        return (B) this;
    }
}
