package dev.cara.sdk;

import java.util.regex.Pattern;

/**
 * One environment variable of a service's container.
 *
 * @param name  the variable's name, for example {@code DATABASE_URL}
 * @param value its value; never null (a missing value is the empty string)
 */
public record EnvVar(String name, String value) {
    /** The rule in words, used in every error about a variable's name. */
    public static final String NAME_RULE =
            "an environment variable name: letters, digits, '_', '-' and '.', not starting with a digit (for example DATABASE_URL)";
    private static final Pattern NAME = Pattern.compile("[-._A-Za-z][-._A-Za-z0-9]*");

    public EnvVar {
        value = value == null ? "" : value;
    }

    /**
     * Checks the name; the field paths in the error are relative ({@code name}).
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public EnvVar validate() {
        if (name == null || name.isEmpty()) {
            throw new InvalidException("name", null, NAME_RULE);
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidException("name", name, NAME_RULE);
        }
        return this;
    }
}
