package dev.cara.agent;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Quantity;

import java.math.BigDecimal;

/**
 * When a resource counts as under pressure: less than a share of the total is available
 * ({@code 10%}), or less than an absolute amount ({@code 500Mi}), the way the kubelet writes its
 * eviction thresholds.
 *
 * @param percent the share of the total, in percent (0-100), or -1 when {@code bytes} applies
 * @param bytes   an absolute amount in bytes, or -1 when {@code percent} applies
 */
public record PressureThreshold(double percent, long bytes) {
    private static final String RULE = "a percentage such as 10% or an amount such as 500Mi";

    public PressureThreshold {
        if ((percent < 0) == (bytes < 0)) {
            throw new IllegalArgumentException("exactly one of percent and bytes must be set");
        }
        if (percent > 100) {
            throw new IllegalArgumentException("percent above 100: " + percent);
        }
    }

    public static PressureThreshold percent(double percent) {
        return new PressureThreshold(percent, -1);
    }

    public static PressureThreshold bytes(long bytes) {
        return new PressureThreshold(-1, bytes);
    }

    /**
     * @param key the setting's name, used in the error
     * @throws InvalidException naming the setting, the value and the syntax
     */
    public static PressureThreshold parse(String key, String text) {
        String s = text == null ? "" : text.trim();
        if (s.endsWith("%")) {
            try {
                double p = Double.parseDouble(s.substring(0, s.length() - 1).trim());
                if (p >= 0 && p <= 100) {
                    return percent(p);
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new InvalidException(key, text, "a percentage from 0% to 100%, such as 10%");
        }
        Quantity q;
        try {
            q = Quantity.parse(s);
        } catch (InvalidException e) {
            throw new InvalidException(key, text, RULE);
        }
        if (q.isNegative() || q.value().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidException(key, text, RULE);
        }
        return bytes(q.value().longValue());
    }

    /** True when {@code available} of {@code total} is below this threshold. */
    public boolean underPressure(long available, long total) {
        if (total <= 0) {
            return false; // nothing known: never claim pressure from missing data
        }
        if (bytes >= 0) {
            return available < bytes;
        }
        return available * 100.0 < percent * total;
    }

    @Override
    public String toString() {
        return bytes >= 0 ? Quantity.ofBytes(bytes).toString() : BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
    }
}
