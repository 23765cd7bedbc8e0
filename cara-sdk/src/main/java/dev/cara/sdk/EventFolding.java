package dev.cara.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * Folds repeated events as Kubernetes does, so that a node that misses its heartbeat a hundred times
 * a day has one {@code NotReady} record with {@code count: 100}, not a hundred records.
 *
 * <p><b>The key</b> is the involved object (kind and name), the type, the reason and the message:
 * events that differ in any of these are different events. The message is part of the key on
 * purpose: {@code NotReady: no heartbeat} and {@code NotReady: NetworkUnavailable} tell an operator
 * different things.
 *
 * <p><b>The window</b> runs from the stored record's {@code lastTimestamp}: a repeat that happens
 * within {@link #window()} of the previous occurrence folds into it (so a steady repeat keeps one
 * record for as long as it goes on); one that comes later starts a new record.
 *
 * <p>A pure function of the two events: the time it compares is the events' own timestamps, which
 * the recorder took from its injected clock. Immutable and thread-safe.
 */
public final class EventFolding {
    /** Kubernetes' aggregation window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    private final Duration window;

    private EventFolding(Duration window) {
        this.window = window;
    }

    /** Folding within {@code window} of the previous occurrence; {@link Duration#ZERO} folds only simultaneous repeats. */
    public static EventFolding within(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new InvalidException("events.foldWindow", shown(window), "zero or more, for example 10m");
        }
        return new EventFolding(window);
    }

    /** A duration as a setting spells it, or as Java does when it is negative (no setting spells that). */
    static String shown(Duration d) {
        return d.isNegative() ? d.toString() : Durations.format(d);
    }

    public static EventFolding standard() {
        return new EventFolding(DEFAULT_WINDOW);
    }

    public Duration window() {
        return window;
    }

    /** The folding key of an event: events with equal keys may fold. */
    public static Key key(Event event) {
        return new Key(event.involvedObject(), event.type(), event.reason(), event.message());
    }

    /** Whether {@code incoming} is a repeat of {@code stored} that folds into it. */
    public boolean folds(Event stored, Event incoming) {
        if (!key(stored).equals(key(incoming))) {
            return false;
        }
        Duration gap = Duration.between(stored.lastTimestamp(), incoming.firstTimestamp());
        return gap.compareTo(window) <= 0;
    }

    /**
     * {@code stored} with {@code incoming}'s occurrences added: its name and first timestamp stay,
     * {@code count} grows by {@code incoming.count()}, and {@code lastTimestamp} becomes the later one.
     *
     * @throws IllegalArgumentException when they do not {@linkplain #folds fold}
     */
    public Event fold(Event stored, Event incoming) {
        if (!folds(stored, incoming)) {
            throw new IllegalArgumentException("event " + key(incoming) + " does not fold into " + key(stored)
                    + " within " + Durations.format(window));
        }
        return stored.repeated(incoming.count(), incoming.lastTimestamp());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventFolding f && window.equals(f.window);
    }

    @Override
    public int hashCode() {
        return window.hashCode();
    }

    @Override
    public String toString() {
        return "EventFolding[within " + Durations.format(window) + "]";
    }

    /** What makes two events the same: object, type, reason and message. */
    public record Key(InvolvedObject object, EventType type, String reason, String message) {
        @Override
        public String toString() {
            return object + " " + type + " " + reason + " \"" + message + "\"";
        }
    }
}
