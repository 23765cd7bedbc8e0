package dev.cara.sdk;

import java.util.Objects;

/**
 * One event of a project watch stream, as the API sends it: {@code {"type":"ADDED","object":{...}}},
 * the twin of the nodes' {@link WatchEvent}.
 *
 * @param type   what happened to the project
 * @param object the project after the change (before it, for DELETED)
 */
public record ProjectWatchEvent(WatchEvent.Type type, Project object) {
    public ProjectWatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
    }
}
