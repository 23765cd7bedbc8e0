package dev.cara.ctl;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * caractrl's kubeconfig-like file: named contexts (a server, a CA file, a token file or token) and the
 * current one. It lives at {@code --config}, else {@code $CARACONFIG}, else
 * {@code ~/.config/cara/config.yaml}; a run reads it only when it exists, so a run without one never
 * loads SnakeYAML.
 *
 * <pre>
 * current-context: prod
 * contexts:
 * - name: prod
 *   server: https://cara.example.com:8443
 *   certificate-authority: /etc/cara/ca.crt
 *   token-file: /home/me/.config/cara/prod.token
 * </pre>
 *
 * A token may also be written inline ({@code token:}); the file is then written mode 0600, as it
 * holds a secret. Immutable: {@link #withContext} and {@link #withCurrent} return new configs.
 */
record CtlConfig(Path file, String current, List<Context> contexts) {
    static final String ENV = "CARACONFIG";

    /**
     * One context.
     *
     * @param name                  its name
     * @param server                the server URL, or empty
     * @param certificateAuthority  the CA file that verifies an https server, or empty for the JDK's trust store
     * @param tokenFile             a file that holds the token, or empty
     * @param token                 the token itself, or empty (prefer a token file)
     * @param insecureSkipTlsVerify whether to skip verifying the server's certificate
     */
    record Context(String name, String server, String certificateAuthority, String tokenFile, String token,
                   boolean insecureSkipTlsVerify) {
        @Override
        public String toString() {
            return "Context[" + name + ", server=" + server + (token.isEmpty() ? "" : ", token=***") + "]";
        }
    }

    /** Where the file is for this run. */
    static Path locate(String flag, Map<String, String> env, Path home) {
        if (flag != null && !flag.isBlank()) {
            return Path.of(flag);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return home.resolve(".config").resolve("cara").resolve("config.yaml");
    }

    /** The config in {@code file}; an empty one when it does not exist. */
    static CtlConfig load(Path file) {
        if (!Files.exists(file)) {
            return new CtlConfig(file, "", List.of());
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CtlException.Usage("the config file " + file + " cannot be read: " + e.getMessage());
        } catch (YAMLException e) {
            throw new CtlException.Usage("the config file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
        }
        if (doc == null) {
            return new CtlConfig(file, "", List.of());
        }
        if (!(doc instanceof Map<?, ?> root)) {
            throw new CtlException.Usage("the config file " + file + " must be a mapping with current-context and contexts");
        }
        List<Context> contexts = new ArrayList<>();
        Object list = root.get("contexts");
        if (list != null && !(list instanceof List<?>)) {
            throw new CtlException.Usage(file + ": contexts must be a list of {name, server, ...}");
        }
        int i = 0;
        for (Object item : list == null ? List.of() : (List<?>) list) {
            i++;
            if (!(item instanceof Map<?, ?> m) || text(m, "name").isEmpty()) {
                throw new CtlException.Usage(file + ": contexts[" + i + "] must be a mapping with a name");
            }
            contexts.add(new Context(text(m, "name"), text(m, "server"), text(m, "certificate-authority"),
                    text(m, "token-file"), text(m, "token"), Boolean.TRUE.equals(m.get("insecure-skip-tls-verify"))));
        }
        return new CtlConfig(file, root.get("current-context") == null ? "" : String.valueOf(root.get("current-context")),
                List.copyOf(contexts));
    }

    Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    Optional<Context> currentContext() {
        return current.isEmpty() ? Optional.empty() : context(current);
    }

    CtlConfig withContext(Context context) {
        List<Context> all = new ArrayList<>();
        boolean replaced = false;
        for (Context c : contexts) {
            if (c.name().equals(context.name())) {
                all.add(context);
                replaced = true;
            } else {
                all.add(c);
            }
        }
        if (!replaced) {
            all.add(context);
        }
        return new CtlConfig(file, current, List.copyOf(all));
    }

    CtlConfig withCurrent(String name) {
        return new CtlConfig(file, name, contexts);
    }

    /** Writes the file atomically, mode 0600 (it may hold a token), creating its directory. */
    void save() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("current-context", current);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Context c : contexts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            put(m, "server", c.server());
            put(m, "certificate-authority", c.certificateAuthority());
            put(m, "token-file", c.tokenFile());
            put(m, "token", c.token());
            if (c.insecureSkipTlsVerify()) {
                m.put("insecure-skip-tls-verify", true);
            }
            list.add(m);
        }
        root.put("contexts", list);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String yaml = new Yaml(options).dump(root);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CtlException(ExitCodes.REFUSED, "cannot write the config file " + file + ": " + e.getMessage());
        }
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
