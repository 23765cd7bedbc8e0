package dev.cara.sdk;

/**
 * Input that breaks a rule. The message names the field, the bad value and the rule, so that a
 * user can fix it without reading code: {@code metadata.name: "Web_1" is invalid: must be ...}.
 * Maps to HTTP 400.
 */
public class InvalidException extends CaraException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String value;
    private final String rule;

    /**
     * @param field the path of the field, for example {@code metadata.name}
     * @param value the offending value as the user wrote it, or {@code null} when it was missing
     * @param rule  what is allowed, phrased to complete "must be ..." or to stand on its own
     */
    public InvalidException(String field, String value, String rule) {
        super(describe(field, value, rule));
        this.field = field;
        this.value = value;
        this.rule = rule;
    }

    /** For errors that are not about one field's value, such as a malformed document. */
    public InvalidException(String message) {
        super(message);
        this.field = null;
        this.value = null;
        this.rule = message;
    }

    private static String describe(String field, String value, String rule) {
        if (value == null) {
            return field + " is required: " + rule;
        }
        return field + ": " + quote(value) + " is invalid: must be " + rule;
    }

    private static String quote(String value) {
        String shown = value.length() > 80 ? value.substring(0, 77) + "..." : value;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The path of the offending field, or {@code null} for a document-level error. */
    public String field() {
        return field;
    }

    /** The offending value, or {@code null} when missing or document-level. */
    public String value() {
        return value;
    }

    public String rule() {
        return rule;
    }

    /** The same error, with its field path prefixed (used when a nested parser reports a path). */
    public InvalidException under(String parent) {
        if (field == null) {
            return new InvalidException(parent + ": " + getMessage());
        }
        return new InvalidException(parent + "." + field, value, rule);
    }
}
