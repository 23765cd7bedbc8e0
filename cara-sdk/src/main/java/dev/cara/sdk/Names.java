package dev.cara.sdk;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The naming rules of the API: node names, label keys and label values. */
public final class Names {
    /** The rule in words, used in every error message about a name. */
    public static final String DNS_SUBDOMAIN_RULE =
            "a DNS subdomain: 1-253 characters of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit,"
            + " with a letter or digit on both sides of each '.' (for example worker-01 or web.example.com)";

    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final String LABEL_VALUE_RULE =
            "empty or at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    private static final String LABEL_KEY_RULE =
            "an optional DNS-subdomain prefix and '/', then a name of at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

    private Names() {
    }

    public static boolean isValidNodeName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 253 && isDnsSubdomain(name);
    }

    /**
     * An RFC 1123 subdomain, as Kubernetes checks it: dot-separated labels of lowercase letters, digits
     * and '-', each starting and ending with a letter or digit; so "a..b" and "a-.b" are not names,
     * although every character is allowed. The regular expression of the rule,
     * {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*}, is written out as a scan
     * because every heartbeat checks a name, and a matcher of that nested loop allocates as it goes
     * (NamesTest checks that the two agree).
     */
    private static boolean isDnsSubdomain(String name) {
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                if (i == labelStart || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    return false; // an empty label, or one that starts or ends with '-'
                }
                labelStart = i + 1;
            } else {
                char c = name.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param field the field the name came from, named in the error
     * @throws InvalidException naming the field, the value and the DNS-subdomain rule
     */
    public static String requireNodeName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidException(field, null, DNS_SUBDOMAIN_RULE);
        }
        if (!isValidNodeName(name)) {
            throw new InvalidException(field, name, DNS_SUBDOMAIN_RULE);
        }
        return name;
    }

    /** A label or annotation key: {@code app}, {@code cara.dev/zone}. */
    public static String requireLabelKey(String field, String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!isValidNodeName(prefix)) {
                throw new InvalidException(field, key, LABEL_KEY_RULE);
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            throw new InvalidException(field, key, LABEL_KEY_RULE);
        }
        return key;
    }

    public static String requireLabelValue(String field, String value) {
        if (!value.isEmpty() && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
            throw new InvalidException(field, value, LABEL_VALUE_RULE);
        }
        return value;
    }

    /**
     * Turns a host name into a valid node name: lower-cased, with each run of characters that a name
     * cannot hold replaced by '-', and leading or trailing '-' and '.' removed. Empty when nothing
     * usable is left (then the caller should ask for an explicit name).
     */
    public static Optional<String> sanitizeNodeName(String hostname) {
        if (hostname == null) {
            return Optional.empty();
        }
        String lower = hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
        // Each dot-separated part must start and end with a letter or digit; empty parts go.
        StringBuilder name = new StringBuilder(lower.length());
        for (String part : lower.split("\\.")) {
            String trimmed = part.replaceAll("^-+|-+$", "");
            if (trimmed.isEmpty()) {
                continue;
            }
            if (name.length() + trimmed.length() + 1 > 253) {
                // Too long: cut at this part, and keep what fits of it.
                int room = 253 - name.length() - (name.isEmpty() ? 0 : 1);
                trimmed = trimmed.substring(0, Math.max(0, room)).replaceAll("-+$", "");
                if (!trimmed.isEmpty()) {
                    name.append(name.isEmpty() ? "" : ".").append(trimmed);
                }
                break;
            }
            name.append(name.isEmpty() ? "" : ".").append(trimmed);
        }
        String result = name.toString();
        return isValidNodeName(result) ? Optional.of(result) : Optional.empty();
    }
}
