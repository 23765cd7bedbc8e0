package dev.cara.store.jdbc;

import dev.cara.sdk.Durations;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link StoreProvider} for {@code jdbc:postgresql://...} and {@code jdbc:mariadb://...} URLs,
 * found by {@link java.util.ServiceLoader}. Credentials and driver options ride in the URL
 * ({@code ?user=cara&password=...}) and go to the driver as they are. The store's own settings ride
 * in it too, as {@code cara.}-prefixed query parameters that the driver never sees, so that a server
 * started with {@code --store URL} can be tuned without code:
 *
 * <pre>{@code jdbc:postgresql://db:5432/cara?user=cara&cara.leaseTtl=15s&cara.poolSize=20}</pre>
 *
 * <p>The settings are those of {@link JdbcStoreBuilder}: {@code cara.poolSize},
 * {@code cara.flushWindow}, {@code cara.leaseTtl}, {@code cara.connectTimeout},
 * {@code cara.socketTimeout} and {@code cara.changeHistory}; durations are written {@code 500ms},
 * {@code 15s}, {@code 1m}. An unknown {@code cara.} name or a value out of range is an
 * {@link InvalidException} that names it.
 */
public final class JdbcStoreProvider implements StoreProvider {
    private static final String PREFIX = "cara.";
    private static final Map<String, Setting> SETTINGS = settings();

    /** Applies one {@code cara.NAME=VALUE}; {@code name} is the parameter's, for messages. */
    @FunctionalInterface
    private interface Setting {
        void apply(JdbcStoreBuilder builder, String name, String value);
    }

    /** For {@link java.util.ServiceLoader}. */
    public JdbcStoreProvider() {
    }

    @Override
    public String scheme() {
        return "jdbc";
    }

    @Override
    public NodeStore open(String url) {
        return configure(url).build();
    }

    /** A builder for the URL: the driver's part of it, with the store settings it carries applied. */
    static JdbcStoreBuilder configure(String url) {
        StoreUrl parsed = StoreUrl.parse(url);
        JdbcStoreBuilder builder = JdbcStore.builder(parsed.driverUrl());
        parsed.settings().forEach((name, value) -> {
            Setting setting = SETTINGS.get(name);
            if (setting == null) {
                throw new InvalidException(name, value, "one of the store settings " + String.join(", ", SETTINGS.keySet()));
            }
            try {
                setting.apply(builder, name, value);
            } catch (IllegalArgumentException e) {
                // The builder's own check, for example a pool of 500: its message names the rule.
                throw new InvalidException(name + "=" + value + " in the store URL: " + e.getMessage());
            }
        });
        return builder;
    }

    private static Map<String, Setting> settings() {
        Map<String, Setting> s = new LinkedHashMap<>(); // in this order in messages
        s.put(PREFIX + "poolSize", (b, n, v) -> b.poolSize(wholeNumber(n, v)));
        s.put(PREFIX + "flushWindow", (b, n, v) -> b.flushWindow(Durations.parse(n, v)));
        s.put(PREFIX + "leaseTtl", (b, n, v) -> b.leaseTtl(Durations.parse(n, v)));
        s.put(PREFIX + "connectTimeout", (b, n, v) -> b.connectTimeout(Durations.parse(n, v)));
        s.put(PREFIX + "socketTimeout", (b, n, v) -> b.socketTimeout(Durations.parse(n, v)));
        s.put(PREFIX + "changeHistory", (b, n, v) -> b.changeHistory(wholeNumber(n, v)));
        return Collections.unmodifiableMap(s);
    }

    private static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidException(name, value, "a whole number");
        }
    }

    /**
     * A store URL taken apart: what goes to the driver (every query parameter but the store's, in
     * their order) and the store's {@code cara.} settings.
     */
    record StoreUrl(String driverUrl, Map<String, String> settings) {
        static StoreUrl parse(String url) {
            int query = url.indexOf('?');
            if (query < 0) {
                return new StoreUrl(url, Map.of());
            }
            List<String> kept = new ArrayList<>();
            Map<String, String> settings = new LinkedHashMap<>();
            for (String parameter : url.substring(query + 1).split("&")) {
                if (parameter.startsWith(PREFIX)) {
                    int eq = parameter.indexOf('=');
                    String name = eq < 0 ? parameter : parameter.substring(0, eq);
                    String value = eq < 0 ? "" : parameter.substring(eq + 1);
                    if (settings.putIfAbsent(name, value) != null) {
                        throw new InvalidException(name, value, "given once: the store URL already sets " + name);
                    }
                } else if (!parameter.isEmpty()) {
                    kept.add(parameter);
                }
            }
            String base = url.substring(0, query);
            return new StoreUrl(kept.isEmpty() ? base : base + "?" + String.join("&", kept),
                    Collections.unmodifiableMap(settings));
        }
    }
}
