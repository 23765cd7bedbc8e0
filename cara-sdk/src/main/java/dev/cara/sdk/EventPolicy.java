package dev.cara.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How an event store folds and how much it keeps. Retention is bounded both ways, so that the store
 * never grows without limit: by age (an event whose {@code lastTimestamp} is older than
 * {@link #maxAge()} goes) and by count (beyond {@link #maxCount()} events the oldest go). Kubernetes
 * keeps events for an hour; so does cara by default.
 *
 * @param folding  how repeats fold
 * @param maxAge   how long after its last occurrence an event is kept
 * @param maxCount how many events are kept at most
 */
public record EventPolicy(EventFolding folding, Duration maxAge, int maxCount) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
    /** Ten events for each of 10,000 nodes: about 30 MB in memory. */
    public static final int DEFAULT_MAX_COUNT = 100_000;

    public EventPolicy {
        Objects.requireNonNull(folding, "folding");
        requireMaxAge(maxAge);
        requireMaxCount(maxCount);
    }

    private static Duration requireMaxAge(Duration value) {
        Objects.requireNonNull(value, "maxAge");
        if (value.isNegative() || value.isZero()) {
            throw new InvalidException("events.maxAge", EventFolding.shown(value), "a positive duration, for example 1h");
        }
        return value;
    }

    private static int requireMaxCount(int value) {
        if (value < 1) {
            throw new InvalidException("events.maxCount", Integer.toString(value), "at least 1");
        }
        return value;
    }

    public static EventPolicy defaults() {
        return new EventPolicy(EventFolding.standard(), DEFAULT_MAX_AGE, DEFAULT_MAX_COUNT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link EventPolicy}; each setting is checked when it is set, unset ones take the defaults. */
    public static final class Builder {
        private EventFolding folding = EventFolding.standard();
        private Duration maxAge = DEFAULT_MAX_AGE;
        private int maxCount = DEFAULT_MAX_COUNT;

        private Builder() {
        }

        public Builder foldWindow(Duration value) {
            this.folding = EventFolding.within(value);
            return this;
        }

        public Builder maxAge(Duration value) {
            this.maxAge = requireMaxAge(value);
            return this;
        }

        public Builder maxCount(int value) {
            this.maxCount = requireMaxCount(value);
            return this;
        }

        public EventPolicy build() {
            return new EventPolicy(folding, maxAge, maxCount);
        }
    }
}
