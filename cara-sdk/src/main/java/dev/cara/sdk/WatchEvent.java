package dev.cara.sdk;

import java.util.Objects;

/**
 * One event of a watch stream, as the API sends it: {@code {"type":"ADDED","object":{...}}}.
 *
 * @param type   what happened to the node
 * @param object the node after the change (before it, for DELETED)
 */
public record WatchEvent(Type type, Node object) {
    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
    }

    /** Kinds of event, spelled as on the wire. */
    public enum Type { ADDED, MODIFIED, DELETED }
}
