package dev.cara.sdk.internal;

import dev.cara.sdk.InvalidException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code config.yaml} into flat settings with SnakeYAML.
 *
 * <p>Why SnakeYAML is optional for the SDK: cara-sdk stays light (JSON-B only) for applications that
 * embed it and configure it from code, yet the server, the agent and the CLI must share one
 * settings loader that really parses YAML (quoting, comments, nesting) rather than a hand-rolled
 * subset. So the SDK declares SnakeYAML {@code optional} ({@code requires static} in module-info),
 * the binaries depend on it, and only this class touches it: {@link Settings} loads it only when a
 * config file exists, and turns a missing SnakeYAML into a clear error.
 *
 * <p>Nested maps flatten with underscores: {@code server: {port: 8080}} is {@code SERVER_PORT}.
 */
final class YamlSettings {
    private YamlSettings() {
    }

    static Map<String, String> read(String source, String text) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
            throw new InvalidException(source + " is not valid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidException(source + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null) {
            return out;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidException(source, String.valueOf(root), "a YAML mapping of settings such as 'port: 8080'");
        }
        flatten(source, "", map, out);
        return out;
    }

    private static void flatten(String source, String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(source, key + "_", nested, out);
            } else if (v instanceof List<?>) {
                throw new InvalidException(key + " (" + source + ")", String.valueOf(v), "a single value, not a list");
            } else if (v != null) {
                out.put(key, String.valueOf(v));
            }
        }
    }
}
