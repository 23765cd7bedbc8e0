package dev.cara.sdk.spi;

import dev.cara.sdk.Event;

import java.util.Objects;

/**
 * One entry of an {@link EventStore}'s change feed: an event recorded ({@link Change.Type#ADDED}) or a
 * repeat folded into one ({@link Change.Type#MODIFIED}). Events that retention drops make no entry:
 * a watcher does not need to hear that history was forgotten.
 *
 * @param revision the store revision of this write
 * @param type     ADDED or MODIFIED
 * @param event    the event as stored by this write
 */
public record EventChange(long revision, Change.Type type, Event event) {
    public EventChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(event, "event");
        if (type == Change.Type.DELETED) {
            throw new IllegalArgumentException("an event feed has no DELETED entries: retention drops events silently");
        }
    }
}
