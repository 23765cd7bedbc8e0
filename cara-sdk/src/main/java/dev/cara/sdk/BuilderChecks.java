package dev.cara.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks that every builder of the API makes when a setting is set: each setting may be set
 * once, a value is never null, a duration is positive. One place, so that every builder words
 * its refusals the same way.
 */
final class BuilderChecks {
    private BuilderChecks() {
    }

    /** @throws IllegalStateException when the setting {@code name} already has a value */
    static void requireUnset(Object current, String name) {
        if (current != null) {
            throw new IllegalStateException(name + " was already set");
        }
    }

    /**
     * {@code value}, for a setting that was not set before.
     *
     * @throws IllegalStateException when it was set before
     * @throws NullPointerException  naming the setting when {@code value} is null
     */
    static <T> T once(Object current, T value, String name) {
        requireUnset(current, name);
        return Objects.requireNonNull(value, name);
    }

    /** @throws IllegalArgumentException unless {@code value} is longer than zero */
    static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /** Like {@link #once}, for a duration that must be positive. */
    static Duration positiveOnce(Duration current, Duration value, String name) {
        requireUnset(current, name);
        return requirePositive(value, name);
    }
}
