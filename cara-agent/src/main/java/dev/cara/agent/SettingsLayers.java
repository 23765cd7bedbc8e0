package dev.cara.agent;

import dev.cara.sdk.InvalidException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The layered settings sources, later winning: {@code config.yaml} in the working directory, then
 * {@code .env}, then the environment, then flags. Keys are setting names ({@code SERVER_URL}); in
 * YAML, {@code serverUrl}, {@code server-url} and {@code server_url} mean the same, and a map value
 * ({@code NODE_LABELS: {zone: a}}) is read as {@code zone=a}.
 *
 * <p>This is the only place that knows where settings come from, so that it can be swapped for the
 * SDK's shared loader without touching {@link AgentSettings}.
 */
final class SettingsLayers {
    private final Map<String, String> merged;

    private SettingsLayers(Map<String, String> merged) {
        this.merged = merged;
    }

    /**
     * @param workingDirectory where {@code config.yaml} and {@code .env} are looked for
     * @param environment      the process environment
     * @param flags            settings given on the command line, by setting name
     */
    static SettingsLayers load(Path workingDirectory, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> merged = new HashMap<>();
        merged.putAll(readYaml(workingDirectory.resolve("config.yaml")));
        merged.putAll(readDotEnv(workingDirectory.resolve(".env")));
        for (String key : AgentSettings.DEFAULTS.keySet()) {
            String value = environment.get(key);
            if (value != null) {
                merged.put(key, value);
            }
        }
        flags.forEach((k, v) -> merged.put(normalise(k), v));
        return new SettingsLayers(merged);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(merged.get(key));
    }

    static Map<String, String> readYaml(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new InvalidException(file.toString(), null, "valid YAML: " + firstLine(e.getMessage()));
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new InvalidException(file.toString(), null, "a YAML map of settings such as SERVER_URL: http://cara:8080");
        }
        Map<String, String> out = new HashMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                out.put(normalise(String.valueOf(k)), flatten(v));
            }
        });
        return out;
    }

    private static String flatten(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringJoiner pairs = new StringJoiner(",");
            map.forEach((k, v) -> pairs.add(k + "=" + (v == null ? "" : v)));
            return pairs.toString();
        }
        if (value instanceof List<?> list) {
            StringJoiner items = new StringJoiner(",");
            list.forEach(item -> items.add(String.valueOf(item)));
            return items.toString();
        }
        return String.valueOf(value);
    }

    /** {@code KEY=value} lines; blank lines and {@code #} comments are skipped; quotes around a value are removed. */
    static Map<String, String> readDotEnv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new InvalidException(file + " line " + (i + 1), lines.get(i), "KEY=value");
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(normalise(line.substring(0, eq).strip()), value);
        }
        return out;
    }

    /** {@code serverUrl}, {@code server-url} and {@code server.url} all become {@code SERVER_URL}. */
    static String normalise(String key) {
        String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return snake.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
