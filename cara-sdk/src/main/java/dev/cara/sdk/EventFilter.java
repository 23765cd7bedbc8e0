package dev.cara.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which events a list asks for: about one object (or all objects of a kind), last seen at or after
 * an instant, and at most so many of them (the newest). Immutable; build it with {@link #all()} and
 * the {@code with...} methods.
 */
public final class EventFilter implements Predicate<Event> {
    /** The most a list may return, whatever the filter asks. */
    public static final int MAX_LIMIT = 10_000;
    private static final EventFilter ALL = new EventFilter(null, null, null, MAX_LIMIT);

    // Null means "any": kept private, the accessors return Optionals.
    private final InvolvedObject.Kind kind;
    private final String name;
    private final Instant since;
    private final int limit;

    private EventFilter(InvolvedObject.Kind kind, String name, Instant since, int limit) {
        this.kind = kind;
        this.name = name;
        this.since = since;
        this.limit = limit;
    }

    /** Every event, up to {@link #MAX_LIMIT}. */
    public static EventFilter all() {
        return ALL;
    }

    /** Events about {@code object}. */
    public static EventFilter about(InvolvedObject object) {
        return ALL.withObject(object);
    }

    public EventFilter withObject(InvolvedObject object) {
        Objects.requireNonNull(object, "object");
        return new EventFilter(object.kind(), object.name(), since, limit);
    }

    /** Events about any object of {@code value}. */
    public EventFilter withKind(InvolvedObject.Kind value) {
        return new EventFilter(Objects.requireNonNull(value, "kind"), null, since, limit);
    }

    /** Events whose last occurrence is at or after {@code value}. */
    public EventFilter withSince(Instant value) {
        return new EventFilter(kind, name, Objects.requireNonNull(value, "since"), limit);
    }

    /**
     * At most {@code value} events, the newest.
     *
     * @throws InvalidException unless it is 1 to {@link #MAX_LIMIT}
     */
    public EventFilter withLimit(int value) {
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidException("limit", Integer.toString(value), "a whole number from 1 to " + MAX_LIMIT);
        }
        return new EventFilter(kind, name, since, value);
    }

    public Optional<InvolvedObject.Kind> kind() {
        return Optional.ofNullable(kind);
    }

    /** The object, when the filter names one. */
    public Optional<InvolvedObject> object() {
        return name == null ? Optional.empty() : Optional.of(new InvolvedObject(kind, name));
    }

    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    public int limit() {
        return limit;
    }

    /** Whether the event matches the object, kind and since parts (the limit applies to a whole list). */
    @Override
    public boolean test(Event event) {
        InvolvedObject about = event.involvedObject();
        return (kind == null || about.kind() == kind)
                && (name == null || about.name().equals(name))
                && (since == null || !event.lastTimestamp().isBefore(since));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventFilter f && Objects.equals(kind, f.kind) && Objects.equals(name, f.name)
                && Objects.equals(since, f.since) && limit == f.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, since, limit);
    }

    @Override
    public String toString() {
        return "EventFilter[" + (name != null ? kind.wireName() + "/" + name : kind != null ? kind.wireName() : "all")
                + (since != null ? ", since " + since : "") + ", limit " + limit + "]";
    }
}
