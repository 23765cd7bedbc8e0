package dev.cara.sdk.internal;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * Makes a binary's table of {@link SettingFlag}s into picocli options: each row a String option
 * named, labelled and described as the row says, taking one value, or for an optional-value flag
 * none ({@code --debug} alone means {@code true}) or one ({@code --debug=false}). The server and
 * the agent declare their flags this way, so the mapping lives here once.
 *
 * <p>Why picocli is optional for the SDK, as SnakeYAML is ({@link YamlSettings}): embedders of the
 * SDK need no command line, so the SDK declares picocli {@code optional} ({@code requires static}),
 * the binaries that call this depend on it, and only this class touches it. Stateless.
 */
public final class PicocliFlags {
    private PicocliFlags() {
    }

    /** Adds an option for each row of {@code table} to {@code command}, in the table's order. */
    public static void addTo(CommandSpec command, List<SettingFlag> table) {
        table.forEach(f -> command.addOption(option(f)));
    }

    static OptionSpec option(SettingFlag f) {
        return OptionSpec.builder(f.names().toArray(String[]::new)).type(String.class)
                .paramLabel(f.label()).description(f.description())
                .arity(f.optionalValue() ? "0..1" : "1").fallbackValue(f.optionalValue() ? "true" : "").build();
    }
}
