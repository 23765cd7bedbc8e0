package dev.cara.ctl;

import java.time.Duration;
import java.time.Instant;

/**
 * Ages written the kubectl way, in one unit: {@code 45s}, {@code 12m}, {@code 3h}, {@code 5d},
 * {@code 2y}; always rounded down, so a node is never shown older than it is.
 */
final class Ages {
    static final String UNKNOWN = "<unknown>";

    private Ages() {
    }

    static String since(Instant then, Instant now) {
        if (then == null) {
            return UNKNOWN;
        }
        return of(Duration.between(then, now));
    }

    static String of(Duration age) {
        long seconds = age.getSeconds();
        if (seconds < 0) {
            // A clock slightly behind the server's: a just-created node is 0s old, not in the future.
            return seconds < -1 ? "<invalid>" : "0s";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + "h";
        }
        long days = hours / 24;
        if (days < 365) {
            return days + "d";
        }
        return days / 365 + "y";
    }
}
