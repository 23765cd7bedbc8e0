package dev.cara.sdk.internal;

import dev.cara.sdk.InvalidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The check behind {@link Settings.Builder#knownKeys}: a key in a settings file that the binary does
 * not read is almost always a typo ({@code heartbeat-timout}), and ignoring it would run the binary
 * on a default the user meant to change. The error names the key as written and the nearest known
 * key, spelt the way the user spells keys. Stateless.
 */
final class UnknownKeys {
    private UnknownKeys() {
    }

    /**
     * @param source  the file, as named in messages
     * @param written the keys the file sets, as written
     * @param known   the canonical keys the binary reads (aliases included)
     * @throws InvalidException naming every unknown key
     */
    static void check(String source, List<String> written, Set<String> known) {
        List<String> problems = new ArrayList<>();
        for (String key : written) {
            if (known.contains(Settings.canonical(key))) {
                continue;
            }
            String nearest = nearest(Settings.canonical(key), known);
            problems.add(nearest == null
                    ? "unknown key \"" + key + "\"; the known keys are " + String.join(", ", known.stream()
                            .sorted().map(k -> spellLike(key, k)).toList())
                    : "unknown key \"" + key + "\"; did you mean \"" + spellLike(key, nearest) + "\"?");
        }
        if (!problems.isEmpty()) {
            throw new InvalidException(source + ": " + String.join("; ", problems));
        }
    }

    /** The known key closest to {@code key}, or null when none is close enough to be the one meant. */
    static String nearest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known.stream().sorted().toList()) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // A third of the key's length: enough for a dropped or swapped letter, not for another word.
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /**
     * Levenshtein distance (insertions, deletions, substitutions), with the usual two-row table. Written
     * here rather than taken from commons-text because cara-sdk promises embedders no dependency beyond
     * JSON-B, and this is its only use.
     */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /**
     * A canonical key ({@code HEARTBEAT_TIMEOUT}) in the style of {@code example}: {@code heartbeat-timeout},
     * {@code heartbeatTimeout}, {@code heartbeat_timeout} or as it is.
     */
    static String spellLike(String example, String canonical) {
        String lower = canonical.toLowerCase(Locale.ROOT);
        if (example.contains("-")) {
            return lower.replace('_', '-');
        }
        boolean hasUpper = !example.equals(example.toLowerCase(Locale.ROOT));
        boolean hasLower = !example.equals(example.toUpperCase(Locale.ROOT));
        if (hasUpper && hasLower && !example.contains("_")) {
            StringBuilder camel = new StringBuilder();
            boolean up = false;
            for (char c : lower.toCharArray()) {
                if (c == '_') {
                    up = true;
                } else {
                    camel.append(up ? Character.toUpperCase(c) : c);
                    up = false;
                }
            }
            return camel.toString();
        }
        return hasUpper ? canonical : lower;
    }
}
