package dev.cara.ctl;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.Settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the server is, through the SDK's layered {@link Settings}: {@code --server}, then
 * {@code CARA_SERVER} in the environment, then {@code ~/.cara/.env}, then {@code server:} in
 * {@code ~/.cara/config.yaml}, then {@value #DEFAULT}. A bad value is a usage error that names the
 * source it came from; it never silently falls through to the next source.
 *
 * @param url    the base URL, without a trailing slash
 * @param source where it came from, for messages
 */
record ServerLocation(String url, String source) {
    static final String DEFAULT = "http://localhost:8080";
    static final String KEY = "CARA_SERVER";

    static ServerLocation resolve(String flag, Map<String, String> env, Path home) {
        URI url;
        Settings settings;
        try {
            // SnakeYAML is loaded only when ~/.cara/config.yaml exists: most runs never pay for it.
            settings = Settings.builder()
                    .directory(configDirectory(home))
                    .environment(env)
                    .alias("SERVER", KEY)
                    .flag(KEY, "--server", flag)
                    .build();
            url = settings.url(KEY, null);
        } catch (InvalidException e) {
            throw new CtlException.Usage(e.getMessage());
        }
        if (url == null) {
            return new ServerLocation(DEFAULT, "default");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return new ServerLocation(text, settings.origin(KEY).orElse(KEY));
    }

    static Path configDirectory(Path home) {
        return home.resolve(".cara");
    }
}
