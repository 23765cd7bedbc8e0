package dev.cara.ctl;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the server is: {@code --server}, then {@code CARA_SERVER}, then {@code server:} in
 * {@code ~/.cara/config.yaml}, then {@value #DEFAULT}. The first source that gives a value wins, and
 * a bad value is an error that names its source (it never silently falls through to the next).
 *
 * @param url    the base URL, without a trailing slash
 * @param source where it came from, for messages
 */
record ServerLocation(String url, String source) {
    static final String DEFAULT = "http://localhost:8080";
    static final String ENV = "CARA_SERVER";
    static final String CONFIG_KEY = "server";

    static ServerLocation resolve(String flag, Map<String, String> env, Path home) {
        if (flag != null) {
            return checked(flag, "--server");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return checked(fromEnv, ENV);
        }
        Path config = configFile(home);
        if (Files.isRegularFile(config)) {
            String fromFile = readServer(config);
            if (fromFile != null) {
                return checked(fromFile, config.toString());
            }
        }
        return new ServerLocation(DEFAULT, "default");
    }

    static Path configFile(Path home) {
        return home.resolve(".cara").resolve("config.yaml");
    }

    private static String readServer(Path config) {
        Object doc;
        // SnakeYAML is loaded only here, when the file exists: most invocations never pay for it.
        try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException | YAMLException e) {
            throw new CtlException.Usage(config + " cannot be read: " + oneLine(e.getMessage())
                    + "; fix it or remove it (it should hold a line such as `server: http://host:8080`)");
        }
        if (doc == null) {
            return null;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new CtlException.Usage(config + " must be a YAML mapping such as `server: http://host:8080`");
        }
        Object value = map.get(CONFIG_KEY);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new CtlException.Usage(config + ": " + CONFIG_KEY + ": " + value + " is invalid: must be a URL such as http://host:8080");
        }
        return s;
    }

    private static ServerLocation checked(String text, String source) {
        String trimmed = text.trim();
        String why = null;
        try {
            URI uri = new URI(trimmed);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                why = "it must start with http:// or https://";
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                why = "it has no host";
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                why = "it must not have a query or a fragment";
            }
        } catch (URISyntaxException e) {
            why = e.getReason();
        }
        if (why != null) {
            throw new CtlException.Usage(source + ": \"" + text + "\" is not a server URL (" + why
                    + "); give one such as http://localhost:8080");
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return new ServerLocation(trimmed, source);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
