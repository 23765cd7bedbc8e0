package dev.cara.server;

import dev.cara.sdk.Durations;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Settings;

import java.time.Duration;
import java.util.Objects;

/**
 * What the server needs to start, read from the layered {@link Settings} and checked.
 *
 * @param host             the address to listen on
 * @param port             the TCP port; 0 picks a free one (tests)
 * @param storeUrl         the store, by URL: {@code memory:}, {@code mapdb:PATH}, {@code jdbc:...}
 * @param heartbeatTimeout how much silence makes a node NotReady
 * @param debug            whether to log in detail
 */
public record ServerSettings(String host, int port, String storeUrl, Duration heartbeatTimeout, boolean debug) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_STORE = "mapdb:./cara-data/cara.db";
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(storeUrl, "storeUrl");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    }

    /**
     * Reads the server's keys: {@code HOST}, {@code PORT}, {@code DATABASE_URL} (alias
     * {@code STORE}), {@code HEARTBEAT_TIMEOUT}, {@code DEBUG}.
     *
     * @throws InvalidException naming the key, where it came from, the value and what is allowed
     */
    public static ServerSettings from(Settings s) {
        String host = s.string("HOST", DEFAULT_HOST);
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw s.invalid("HOST", "a host name or IP address to listen on, such as 0.0.0.0 or 127.0.0.1");
        }
        String store = s.string("DATABASE_URL", DEFAULT_STORE);
        if (store.isBlank() || store.indexOf(':') <= 0) {
            throw s.invalid("DATABASE_URL", "a store URL such as memory:, mapdb:./cara-data/cara.db or jdbc:postgresql://host/db");
        }
        return new ServerSettings(host, s.port("PORT", DEFAULT_PORT, true), store,
                s.duration("HEARTBEAT_TIMEOUT", DEFAULT_HEARTBEAT_TIMEOUT), s.bool("DEBUG", false));
    }

    /** For start-up lines: the store URL without a password. */
    public String describeStore() {
        return storeUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "host=" + host + " port=" + port + " store=" + describeStore() + " heartbeatTimeout="
                + Durations.format(heartbeatTimeout) + " debug=" + debug;
    }
}
