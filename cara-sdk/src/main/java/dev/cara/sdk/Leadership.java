package dev.cara.sdk;

import java.util.Objects;

/**
 * Whether this control-plane replica leads, as operators see it in health details and metrics.
 *
 * @param replica this replica's name in the election (a JDBC lease holder id, for example)
 * @param leading whether it runs the heartbeat monitor and writes state transitions now
 * @param term    the leadership term it writes under while leading; {@code 0} when it does not lead,
 *                or when its store has only one writer and so needs no terms
 */
public record Leadership(String replica, boolean leading, long term) {
    public Leadership {
        Objects.requireNonNull(replica, "replica");
        if (term < 0) {
            throw new IllegalArgumentException("term must not be negative, was " + term);
        }
    }
}
