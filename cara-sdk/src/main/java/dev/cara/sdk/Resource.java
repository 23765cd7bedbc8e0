package dev.cara.sdk;

import java.util.Objects;

/**
 * What a request is about: a kind ({@code node}, {@code token}, {@code version}, {@code metrics}) and,
 * for one object, its name. A collection (a list, a watch, a create before the name is known) has the
 * empty name.
 *
 * @param kind the resource kind, lowercase
 * @param name the object's name, or empty for the collection
 */
public record Resource(String kind, String name) {
    public static final String NODE = "node";
    public static final String TOKEN = "token";
    public static final String VERSION = "version";
    public static final String METRICS = "metrics";
    /** The event history: read (list, watch) only; no role but admin and viewer may. */
    public static final String EVENT = "event";

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("a resource kind must not be blank");
        }
    }

    public static Resource node(String name) {
        return new Resource(NODE, name);
    }

    public static Resource nodes() {
        return new Resource(NODE, "");
    }

    public static Resource token(String id) {
        return new Resource(TOKEN, id);
    }

    public static Resource tokens() {
        return new Resource(TOKEN, "");
    }

    public static Resource events() {
        return new Resource(EVENT, "");
    }

    public boolean isCollection() {
        return name.isEmpty();
    }

    /** As messages say it: {@code node "w1"}, or {@code nodes} for the collection. */
    public String describe() {
        return isCollection() ? kind + "s" : kind + " \"" + name + "\"";
    }
}
