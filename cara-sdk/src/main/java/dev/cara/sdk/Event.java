package dev.cara.sdk;

import java.time.Instant;
import java.util.Objects;

/**
 * Something an operator wants to see later about a node or a project, Kubernetes style: a type, a
 * one-word reason, a sentence, the object it is about, and how often and when it happened. Repeats
 * are folded ({@link EventFolding}): the same event again within the window bumps {@code count} and
 * {@code lastTimestamp} of the record already stored instead of adding one.
 *
 * <p>Only {@code metadata.name}, {@code metadata.createdAt} and {@code metadata.resourceVersion}
 * mean anything for an event. The store sets the name (unique in that store) and the resourceVersion
 * when it records the event; before that the name is the Kubernetes form
 * {@code <object name>.<first timestamp in hex nanoseconds>} and the resourceVersion is absent.
 *
 * @param metadata       name, createdAt (the first occurrence) and resourceVersion (the last write)
 * @param type           Normal or Warning
 * @param reason         one CamelCase word from the {@link EventReason} catalogue (or a newer one)
 * @param message        a sentence for humans, at most {@value #MAX_MESSAGE} characters
 * @param involvedObject the node or project it is about
 * @param count          how many times it happened, at least 1
 * @param firstTimestamp when it first happened
 * @param lastTimestamp  when it last happened, not before {@code firstTimestamp}
 */
public record Event(ObjectMeta metadata, EventType type, String reason, String message, InvolvedObject involvedObject,
                    int count, Instant firstTimestamp, Instant lastTimestamp) implements ApiObject {
    public static final String API_VERSION = Node.API_VERSION;
    public static final String KIND = "Event";
    /** The longest message kept, as Kubernetes bounds its event messages; longer ones are refused. */
    public static final int MAX_MESSAGE = 1024;

    public Event {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(type, "type");
        EventReason.require("reason", reason);
        requireMessage(message);
        requireCount(count);
        Objects.requireNonNull(involvedObject, "involvedObject");
        Objects.requireNonNull(firstTimestamp, "firstTimestamp");
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
        if (lastTimestamp.isBefore(firstTimestamp)) {
            throw new InvalidException("lastTimestamp", lastTimestamp.toString(),
                    "not before firstTimestamp (" + firstTimestamp + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String requireMessage(String message) {
        if (message == null || message.isBlank() || message.length() > MAX_MESSAGE) {
            throw new InvalidException("message", message, "a sentence of 1 to " + MAX_MESSAGE + " characters");
        }
        return message;
    }

    private static int requireCount(int count) {
        if (count < 1) {
            throw new InvalidException("count", Integer.toString(count), "at least 1");
        }
        return count;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** This event as stored under {@code name} at {@code resourceVersion}. */
    public Event stored(String name, String resourceVersion) {
        ObjectMeta meta = new ObjectMeta(name, metadata.labels(), metadata.annotations(), firstTimestamp, lastTimestamp,
                resourceVersion);
        return new Event(meta, type, reason, message, involvedObject, count, firstTimestamp, lastTimestamp);
    }

    /** This event having happened {@code more} times again, the last of them at {@code last}. */
    public Event repeated(int more, Instant last) {
        Instant latest = last.isAfter(lastTimestamp) ? last : lastTimestamp;
        int total = (int) Math.min(Integer.MAX_VALUE, (long) count + more);
        return new Event(metadata.withTimes(firstTimestamp, latest), type, reason, message, involvedObject, total,
                firstTimestamp, latest);
    }

    /**
     * {@code message} cut to {@value #MAX_MESSAGE} characters (ending in an ellipsis when cut), for
     * recorders whose messages come from elsewhere (a scheduler's explanation, an agent's condition).
     */
    public static String fitMessage(String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /**
     * Builds an {@link Event}. {@code type}, {@code reason}, {@code message}, {@code involvedObject} and
     * {@code at} (or {@code firstTimestamp}) are required; {@code count} defaults to 1 and
     * {@code lastTimestamp} to the first. Each value is checked when it is set.
     */
    public static final class Builder {
        private String name;
        private EventType type;
        private String reason;
        private String message;
        private InvolvedObject involvedObject;
        private int count = 1;
        private Instant firstTimestamp;
        private Instant lastTimestamp;

        private Builder() {
        }

        /** A name to use instead of the Kubernetes form; a store replaces it anyway. */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        public Builder type(EventType value) {
            this.type = Objects.requireNonNull(value, "type");
            return this;
        }

        public Builder normal() {
            return type(EventType.NORMAL);
        }

        public Builder warning() {
            return type(EventType.WARNING);
        }

        public Builder reason(String value) {
            this.reason = EventReason.require("reason", value);
            return this;
        }

        public Builder message(String value) {
            this.message = requireMessage(value);
            return this;
        }

        public Builder involvedObject(InvolvedObject value) {
            this.involvedObject = Objects.requireNonNull(value, "involvedObject");
            return this;
        }

        public Builder node(String name) {
            return involvedObject(InvolvedObject.node(name));
        }

        public Builder project(String name) {
            return involvedObject(InvolvedObject.project(name));
        }

        public Builder count(int value) {
            this.count = requireCount(value);
            return this;
        }

        /** It happened once, at {@code value}: first and last timestamp. */
        public Builder at(Instant value) {
            this.firstTimestamp = Objects.requireNonNull(value, "at");
            this.lastTimestamp = value;
            return this;
        }

        public Builder firstTimestamp(Instant value) {
            this.firstTimestamp = Objects.requireNonNull(value, "firstTimestamp");
            return this;
        }

        public Builder lastTimestamp(Instant value) {
            this.lastTimestamp = Objects.requireNonNull(value, "lastTimestamp");
            return this;
        }

        /** @throws InvalidException naming the first required value that is missing, or a bad one */
        public Event build() {
            require("type", type);
            require("reason", reason);
            require("message", message);
            require("involvedObject", involvedObject);
            require("firstTimestamp", firstTimestamp);
            Instant last = lastTimestamp != null ? lastTimestamp : firstTimestamp;
            String eventName = name != null ? name : involvedObject.name() + "." + Long.toHexString(nanos(firstTimestamp));
            ObjectMeta meta = new ObjectMeta(eventName, null, null, firstTimestamp, last, null);
            return new Event(meta, type, reason, message, involvedObject, count, firstTimestamp, last);
        }

        private static void require(String field, Object value) {
            if (value == null) {
                throw new InvalidException(field, null, "set on the event builder");
            }
        }

        private static long nanos(Instant t) {
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        }
    }
}
