package dev.cara.sdk;

import dev.cara.sdk.spi.Canonical;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A resource's identity and its client-written metadata.
 *
 * @param name            the node's name, a DNS subdomain
 * @param labels          key/value pairs that selectors match; never null
 * @param annotations     free-form key/value notes; never null
 * @param createdAt       when the control plane registered it, or {@code null} before that
 * @param updatedAt       when its metadata or spec last changed, or {@code null}
 * @param resourceVersion the version of metadata and spec, for compare-and-set; {@code null} before
 *                        registration. Status writes (heartbeats) never change it.
 */
public record ObjectMeta(String name, Map<String, String> labels, Map<String, String> annotations,
                         Instant createdAt, Instant updatedAt, String resourceVersion) {

    public ObjectMeta {
        Objects.requireNonNull(name, "name");
        labels = sortedCopy(labels);
        if (!labels.isEmpty()) {
            labels = Canonical.of(labels); // a fleet's nodes mostly share a few label sets; Map.of() is shared already
        }
        annotations = sortedCopy(annotations);
        resourceVersion = Condition.blankToNull(resourceVersion);
    }

    public static ObjectMeta named(String name) {
        return new ObjectMeta(name, Map.of(), Map.of(), null, null, null);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return new ObjectMeta(name, newLabels, annotations, createdAt, updatedAt, resourceVersion);
    }

    public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
        return new ObjectMeta(name, labels, newAnnotations, createdAt, updatedAt, resourceVersion);
    }

    public ObjectMeta withResourceVersion(String version) {
        return new ObjectMeta(name, labels, annotations, createdAt, updatedAt, version);
    }

    public ObjectMeta withTimes(Instant created, Instant updated) {
        return new ObjectMeta(name, labels, annotations, created, updated, resourceVersion);
    }

    /** Validates the name, label keys and values, and annotation keys. */
    public ObjectMeta validate() {
        Names.requireNodeName("metadata.name", name);
        labels.forEach((k, v) -> {
            Names.requireLabelKey("metadata.labels", k);
            Names.requireLabelValue("metadata.labels." + k, v);
        });
        annotations.keySet().forEach(k -> Names.requireLabelKey("metadata.annotations", k));
        return this;
    }
}
