package dev.cara.sdk.internal;

import java.util.List;
import java.util.Objects;

/**
 * A command-line flag that sets one setting, as a row of a binary's table of flags: the key it sets,
 * its names (the first is the one errors name), the label and help of its value. A binary declares
 * each such flag once, in its table, and hands the values given to {@link Settings.Builder#flags};
 * the command-line library's option is made from the row ({@link PicocliFlags}).
 *
 * @param key           the setting, for example {@code PORT}
 * @param label         the value's label in the help, for example {@code PORT}
 * @param description   the help text (a format string: {@code %%} for a percent sign)
 * @param optionalValue whether the flag may stand alone, meaning {@code true} ({@code --debug}), or take a value
 * @param names         the flag's names, the main one first
 */
public record SettingFlag(String key, String label, String description, boolean optionalValue, List<String> names) {
    public SettingFlag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a flag needs a name");
        }
    }

    /** A flag that takes a value. */
    public static SettingFlag of(String key, String label, String description, String... names) {
        return new SettingFlag(key, label, description, false, List.of(names));
    }

    /** A flag that alone means {@code true} and may take {@code =true} or {@code =false}. */
    public static SettingFlag bool(String key, String description, String... names) {
        return new SettingFlag(key, "BOOL", description, true, List.of(names));
    }

    /** The main name, {@code --port}: the one errors name. */
    public String name() {
        return names.get(0);
    }
}
