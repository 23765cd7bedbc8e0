package dev.cara.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request's query parameters, decoded strictly as path segments are ({@link NodesApi#decode}):
 * a broken escape is a 400 naming the parameter. {@code +} is a space, as HTML forms send it.
 * Stateless.
 */
final class QueryParams {
    private QueryParams() {
    }

    /** The first value of {@code key}; an empty string for a bare {@code ?key}. */
    static Optional<String> first(String rawQuery, String key) {
        List<String> all = all(rawQuery, key, true);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every value of {@code key}, in order (a repeated parameter such as {@code ?phase=A&phase=B}). */
    static List<String> all(String rawQuery, String key) {
        return all(rawQuery, key, false);
    }

    private static List<String> all(String rawQuery, String key, boolean firstOnly) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(1);
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (NodesApi.decode(k.replace('+', ' '), "query parameter name").equals(key)) {
                values.add(eq < 0 ? "" : NodesApi.decode(pair.substring(eq + 1).replace('+', ' '), key));
                if (firstOnly) {
                    break;
                }
            }
        }
        return values;
    }

    /** {@code ?key=true|1|false|0}, false when absent; anything else is a 400 naming the key. */
    static boolean flag(String rawQuery, String key) {
        Optional<String> value = first(rawQuery, key);
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.get()) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw new dev.cara.sdk.InvalidException(key, value.get(), "true or false");
        };
    }
}
