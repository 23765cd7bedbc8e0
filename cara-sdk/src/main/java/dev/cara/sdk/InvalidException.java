package dev.cara.sdk;

/**
 * Input that breaks a rule. The message names the field, the bad value and the rule, so that a
 * user can fix it without reading code: {@code metadata.name: "Web_1" is invalid: must be ...}.
 * Maps to HTTP 400.
 */
public class InvalidException extends CaraException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SHOWN = 80;

    private final String field;
    private final String value;
    private final String shown;
    private final String rule;

    /**
     * @param field the path of the field, for example {@code metadata.name}
     * @param value the offending value as the user wrote it, or {@code null} when it was missing
     * @param rule  what is allowed, phrased to complete "must be ...", for example
     *              {@code a boolean (true or false, without quotes)}
     */
    public InvalidException(String field, String value, String rule) {
        this(field, value, value == null ? null : quote(value), rule);
    }

    /** For errors that are not about one field's value, such as a malformed document. */
    public InvalidException(String message) {
        super(message);
        this.field = null;
        this.value = null;
        this.shown = null;
        this.rule = message;
    }

    // shown is the value as the message prints it: quoted text, or a JSON literal such as 5 or true.
    private InvalidException(String field, String value, String shown, String rule) {
        super(describe(field, shown, rule));
        this.field = field;
        this.value = value;
        this.shown = shown;
        this.rule = rule;
    }

    /**
     * An error about a JSON value of the wrong type, shown as the JSON the user wrote: a number
     * appears bare ({@code spec.hostname: 5 is invalid}), a string in quotes.
     *
     * @param json the value's JSON text
     * @param text the value as {@link #value()} reports it: a string's content, or the JSON text
     */
    static InvalidException ofJson(String field, String json, String text, String rule) {
        return new InvalidException(field, text, escape(truncate(json)), rule);
    }

    private static String describe(String field, String shown, String rule) {
        if (shown == null) {
            return field + " is required: must be " + rule;
        }
        return field + ": " + shown + " is invalid: must be " + rule;
    }

    private static String quote(String value) {
        return "\"" + escape(truncate(value).replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }

    private static String truncate(String value) {
        return value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN - 3) + "..." : value;
    }

    // Control characters would break a terminal line or a log; show them as JSON escapes.
    private static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                switch (c) {
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> sb.append(String.format("\\u%04x", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** The path of the offending field, or {@code null} for a document-level error. */
    public String field() {
        return field;
    }

    /** The offending value, or {@code null} when missing or document-level. */
    public String value() {
        return value;
    }

    /** What is allowed (completes "must be ..."), or the whole message for a document-level error. */
    public String rule() {
        return rule;
    }

    /** The same error, with its field path prefixed (used when a nested parser reports a path). */
    public InvalidException under(String parent) {
        if (field == null) {
            return new InvalidException(parent + ": " + getMessage());
        }
        return new InvalidException(parent + "." + field, value, shown, rule);
    }
}
