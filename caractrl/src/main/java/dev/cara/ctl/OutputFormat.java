package dev.cara.ctl;

import java.util.List;
import java.util.Locale;

/** How {@code get} prints nodes ({@code -o}). */
enum OutputFormat {
    /** NAME, STATE, CONDITIONS, AGE. */
    TABLE,
    /** The table plus IP, AGENT-PORT, CPU, MEMORY, VERSION, LAST-HEARTBEAT. */
    WIDE,
    /** The API objects as JSON: a Node for one named node, a NodeList otherwise. */
    JSON,
    /** The same objects as YAML, with the same field names and omissions. */
    YAML,
    /** {@code node/NAME}, one a line, for scripts. */
    NAME;

    String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code -o}: any case; an unknown format is a usage error that lists the valid ones. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.spelling().equalsIgnoreCase(value.trim())) {
                    return f;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "\"" + value + "\" is not an output format: use table, wide, json, yaml or name");
        }
    }

    /** The lower-case spellings, for shell completion. */
    static final List<String> SPELLINGS = List.of("table", "wide", "json", "yaml", "name");
}
