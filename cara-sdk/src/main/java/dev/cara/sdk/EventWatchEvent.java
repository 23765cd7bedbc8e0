package dev.cara.sdk;

import java.util.Objects;

/**
 * One line of an event watch stream, as the API sends it: {@code {"type":"ADDED","object":{Event}}}.
 * ADDED is an event recorded for the first time, MODIFIED a repeat folded into it (its count and
 * {@code lastTimestamp} moved). Retention drops events without a line: an event watch has no DELETED.
 *
 * @param type   ADDED or MODIFIED
 * @param object the event as stored by that write
 */
public record EventWatchEvent(WatchEvent.Type type, Event object) {
    public EventWatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
    }
}
