package dev.cara.sdk.internal;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a binary, layered the same way for the server, the agent and the CLI. Later
 * sources win: {@code config.yaml} in the working directory (or the file given with
 * {@code --config}), then {@code .env} in the working directory, then environment variables, then
 * command-line flags.
 *
 * <p>Keys are compared in one canonical spelling, the environment's: {@code HEARTBEAT_TIMEOUT}
 * matches {@code heartbeatTimeout} and {@code heartbeat-timeout} in {@code config.yaml} and the
 * {@code --heartbeat-timeout} flag. A binary may declare aliases ({@code STORE} for
 * {@code DATABASE_URL}). Errors name the key as the user wrote it and where: {@code PORT
 * (environment): "80a" is invalid: must be a TCP port from 1 to 65535}.
 *
 * <pre>{@code
 * Settings s = Settings.builder().flag("PORT", "--port", portFlag).build();
 * int port = s.port("PORT", 8080);
 * Duration timeout = s.duration("HEARTBEAT_TIMEOUT", Duration.ofSeconds(90));
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Settings {
    private final Map<String, Value> values;

    private Settings(Map<String, Value> values) {
        this.values = Map.copyOf(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A value as one source gave it. */
    private record Value(String text, String writtenKey, String source) {
        String describe() {
            return writtenKey + " (" + source + ")";
        }
    }

    /**
     * The canonical spelling of a key: upper case, words separated by underscores.
     * {@code heartbeatTimeout}, {@code heartbeat-timeout}, {@code --heartbeat-timeout} and
     * {@code heartbeat.timeout} all become {@code HEARTBEAT_TIMEOUT}.
     */
    public static String canonical(String key) {
        String k = key.startsWith("--") ? key.substring(2) : key;
        StringBuilder sb = new StringBuilder(k.length() + 4);
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == '-' || c == '.' || c == '_' || c == ' ') {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                    sb.append('_');
                }
            } else if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(k.charAt(i - 1))) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ typed getters

    /** Whether any source set the key. */
    public boolean isSet(String key) {
        return values.containsKey(canonical(key));
    }

    /** The text of a key as the winning source gave it, trimmed. */
    public Optional<String> string(String key) {
        Value v = values.get(canonical(key));
        return v == null ? Optional.empty() : Optional.of(v.text());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    /** Where the key's value came from, for start-up lines: {@code PORT (environment)}; empty if unset. */
    public Optional<String> origin(String key) {
        Value v = values.get(canonical(key));
        return v == null ? Optional.empty() : Optional.of(v.describe());
    }

    /**
     * An integer within bounds.
     *
     * @throws InvalidException naming the key, its source, the value and the range
     */
    public int integer(String key, int fallback, int min, int max) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return fallback;
        }
        String rule = "an integer from " + min + " to " + max;
        try {
            int n = Integer.parseInt(v.text());
            if (n < min || n > max) {
                throw invalid(v, rule);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(v, rule);
        }
    }

    /** A TCP port, 1 to 65535 ({@code allowZero} also accepts 0: "any free port"). */
    public int port(String key, int fallback, boolean allowZero) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return fallback;
        }
        int min = allowZero ? 0 : 1;
        String rule = "a TCP port from " + min + " to 65535";
        try {
            int n = Integer.parseInt(v.text());
            if (n < min || n > 65535) {
                throw invalid(v, rule);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(v, rule);
        }
    }

    public int port(String key, int fallback) {
        return port(key, fallback, false);
    }

    /** A positive duration: {@code 30s}, {@code 1m}, {@code 2m30s} (see {@link Durations}). */
    public Duration duration(String key, Duration fallback) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return fallback;
        }
        return Durations.parsePositive(v.describe(), v.text());
    }

    /** A boolean: {@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}, {@code 1}/{@code 0}. */
    public boolean bool(String key, boolean fallback) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return fallback;
        }
        return switch (v.text().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0", "" -> false;
            default -> throw invalid(v, "true or false (also yes/no, on/off, 1/0)");
        };
    }

    /** An absolute http or https URL with a host. */
    public URI url(String key, URI fallback) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return fallback;
        }
        String rule = "an http:// or https:// URL with a host, such as http://localhost:8080";
        try {
            URI u = new URI(v.text());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw invalid(v, rule);
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid(v, rule);
        }
    }

    /** One of a fixed set of words, compared ignoring case; returns the allowed spelling. */
    public String oneOf(String key, String fallback, List<String> allowed) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return fallback;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v.text())) {
                return a;
            }
        }
        throw invalid(v, "one of " + String.join(", ", allowed));
    }

    /** An error about a key's value, for checks the typed getters do not cover. */
    public InvalidException invalid(String key, String rule) {
        Value v = values.get(canonical(key));
        if (v == null) {
            return new InvalidException(key, null, rule);
        }
        return invalid(v, rule);
    }

    private static InvalidException invalid(Value v, String rule) {
        return new InvalidException(v.describe(), v.text(), rule);
    }

    // ------------------------------------------------------------------ building

    /**
     * Collects the sources. Nothing is read until {@link #build()}; the defaults are
     * {@code config.yaml} and {@code .env} in the working directory and {@link System#getenv()}.
     */
    public static final class Builder {
        private Path directory = Path.of("");
        private Path configFile;
        private boolean configFileExplicit;
        private Map<String, String> environment;
        private final Map<String, String> aliases = new HashMap<>();
        private final Map<String, Value> flags = new LinkedHashMap<>();
        private Set<String> knownKeys;

        private Builder() {
        }

        /**
         * The keys the binary reads, in any spelling. Once given, a key in {@code config.yaml} or
         * {@code .env} that is none of them (nor an alias) fails {@link #build()} with an error that
         * names it and the nearest known key: {@code config.yaml: unknown key "heartbeat-timout"; did
         * you mean "heartbeat-timeout"?}. Environment variables are not checked: the environment holds
         * every program's variables, not only this one's. Without this call nothing is checked.
         */
        public Builder knownKeys(Collection<String> keys) {
            Set<String> canonical = new HashSet<>();
            for (String k : keys) {
                canonical.add(canonical(k));
            }
            knownKeys = canonical;
            return this;
        }

        /** Where {@code config.yaml} and {@code .env} are looked for. Default: the working directory. */
        public Builder directory(Path value) {
            directory = Objects.requireNonNull(value, "directory");
            return this;
        }

        /**
         * An explicit configuration file ({@code --config FILE}) instead of {@code config.yaml}: it
         * must exist. Null keeps the default.
         */
        public Builder configFile(Path value) {
            if (value != null) {
                configFile = value;
                configFileExplicit = true;
            }
            return this;
        }

        /** The environment variables. Default: {@link System#getenv()}. */
        public Builder environment(Map<String, String> value) {
            environment = Map.copyOf(Objects.requireNonNull(value, "environment"));
            return this;
        }

        /** Another name for a key in every source: {@code alias("STORE", "DATABASE_URL")}. */
        public Builder alias(String alias, String key) {
            aliases.put(canonical(alias), canonical(key));
            return this;
        }

        /**
         * A command-line flag the user gave; null (not given) is ignored.
         *
         * @param key  the setting, for example {@code PORT}
         * @param flag the flag as written, for example {@code --port}, named in errors
         */
        public Builder flag(String key, String flag, String value) {
            if (value != null) {
                flags.put(canonical(key), new Value(value.trim(), flag, "flag"));
            }
            return this;
        }

        /**
         * The flags of a binary's table, each with the value the user gave ({@code valueOf} its main
         * name; null when not given, which is ignored).
         */
        public Builder flags(List<SettingFlag> table, java.util.function.Function<String, String> valueOf) {
            for (SettingFlag f : table) {
                flag(f.key(), f.name(), valueOf.apply(f.name()));
            }
            return this;
        }

        /**
         * Reads the sources.
         *
         * @throws InvalidException naming the file and the line when a file cannot be read
         */
        public Settings build() {
            Map<String, Value> merged = new HashMap<>();
            Path config = configFile != null ? configFile : directory.resolve("config.yaml");
            readConfig(config, merged);
            readDotenv(directory.resolve(".env"), merged);
            (environment != null ? environment : System.getenv()).forEach((k, v) ->
                    put(merged, k, new Value(v.trim(), k, "environment")));
            flags.forEach(merged::put);
            return new Settings(merged);
        }

        private void checkKeys(String source, List<String> written) {
            if (knownKeys != null) {
                Set<String> known = new HashSet<>(knownKeys);
                known.addAll(aliases.keySet());
                UnknownKeys.check(source, written, known);
            }
        }

        private void put(Map<String, Value> merged, String writtenKey, Value value) {
            String key = canonical(writtenKey);
            merged.put(aliases.getOrDefault(key, key), value);
        }

        private void readConfig(Path file, Map<String, Value> merged) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                if (configFileExplicit) {
                    throw new InvalidException("--config", file.toString(), "an existing YAML file");
                }
                return;
            } catch (IOException e) {
                throw new InvalidException("config file", file.toString(), "a readable YAML file (" + e.getMessage() + ")");
            }
            String source = file.toString();
            Map<String, String> flat;
            try {
                flat = YamlSettings.read(source, text);
            } catch (NoClassDefFoundError e) {
                throw new InvalidException(source + " cannot be read: SnakeYAML (org.yaml:snakeyaml) is not on the class path;"
                        + " add it to the application, or use .env or environment variables instead");
            }
            checkKeys(source, List.copyOf(flat.keySet()));
            flat.forEach((k, v) -> put(merged, k, new Value(v.trim(), k, source)));
        }

        /**
         * Reads {@code KEY=VALUE} lines. Blank lines and {@code #} comments are skipped, an
         * {@code export } prefix is allowed, and a value may be wrapped in single or double quotes.
         */
        private void readDotenv(Path file, Map<String, Value> merged) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                throw new InvalidException(".env", file.toString(), "a readable file (" + e.getMessage() + ")");
            }
            String source = file.toString();
            Map<String, String> parsed = parseDotenv(source, lines);
            checkKeys(source, List.copyOf(parsed.keySet()));
            for (Map.Entry<String, String> e : parsed.entrySet()) {
                put(merged, e.getKey(), new Value(e.getValue(), e.getKey(), source));
            }
        }
    }

    static Map<String, String> parseDotenv(String source, List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                bad.add(String.valueOf(i + 1));
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            out.put(key, value);
        }
        if (!bad.isEmpty()) {
            throw new InvalidException(source + " line " + String.join(", ", bad), null,
                    "KEY=VALUE lines (blank lines and # comments are allowed)");
        }
        return out;
    }
}
