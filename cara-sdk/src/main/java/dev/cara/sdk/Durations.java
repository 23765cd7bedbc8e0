package dev.cara.sdk;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way configuration files and flags spell them: {@code 30s}, {@code 1m}, {@code 2m30s}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");
    private static final String RULE = "a duration such as 500ms, 30s, 1m, 2m30s or 1h";

    private Durations() {
    }

    /**
     * Parses {@code 30s}, {@code 1m}, {@code 2m30s}, {@code 1h}, {@code 500ms}; units may be combined from
     * largest to smallest. A bare number is not accepted: a unit avoids guessing.
     *
     * @param key the setting's name, used in the error
     * @throws InvalidException naming the key, the value and the syntax
     */
    public static Duration parse(String key, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidException(key, text == null ? null : text, RULE);
        }
        String s = text.trim();
        Matcher m = PART.matcher(s);
        int at = 0;
        int lastRank = Integer.MAX_VALUE;
        Duration total = Duration.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new InvalidException(key, text, RULE);
            }
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new InvalidException(key, text, RULE);
            }
            int rank = switch (m.group(2)) {
                case "h" -> 3;
                case "m" -> 2;
                case "s" -> 1;
                default -> 0;
            };
            if (rank >= lastRank || amount > 1_000_000_000L) {
                throw new InvalidException(key, text, RULE);
            }
            lastRank = rank;
            total = total.plus(switch (rank) {
                case 3 -> Duration.ofHours(amount);
                case 2 -> Duration.ofMinutes(amount);
                case 1 -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
            at = m.end();
        }
        return total;
    }

    /** Parses like {@link #parse} and also requires the duration to be positive. */
    public static Duration parsePositive(String key, String text) {
        Duration d = parse(key, text);
        if (d.isZero()) {
            throw new InvalidException(key, text, "a positive duration such as 30s, 1m or 2m30s");
        }
        return d;
    }

    /**
     * The shortest spelling that {@link #parse} reads back: {@code 90s} prints as {@code 1m30s}.
     * Durations are written to the millisecond; anything finer is dropped.
     *
     * @throws IllegalArgumentException for a negative duration, which {@link #parse} does not accept
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a negative duration has no spelling: " + d);
        }
        if (d.toMillis() == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (seconds > 0) {
            sb.append(seconds).append('s');
        }
        if (millis > 0) {
            sb.append(millis).append("ms");
        }
        return sb.toString();
    }
}
