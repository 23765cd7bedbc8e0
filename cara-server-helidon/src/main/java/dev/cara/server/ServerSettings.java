package dev.cara.server;

import dev.cara.sdk.Durations;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.Settings;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the server needs to start, read from the layered {@link Settings} and checked.
 *
 * @param host             the address to listen on
 * @param port             the TCP port; 0 picks a free one (tests)
 * @param storeUrl         the store, by URL: {@code memory:}, {@code mapdb:PATH}, {@code jdbc:...}
 * @param heartbeatTimeout how much silence makes a node NotReady
 * @param debug            whether to log in detail
 * @param watchKeepAlive   how long a watch stream may stay silent before it gets a blank keep-alive line
 *                         (the write that shows a client has gone away)
 * @param readTimeout      how long the server waits for more of a request before it drops the connection
 *                         (a client that sends a byte a minute does not hold a connection for ever)
 */
public record ServerSettings(String host, int port, String storeUrl, Duration heartbeatTimeout, boolean debug,
                             Duration watchKeepAlive, Duration readTimeout) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_STORE = "mapdb:./cara-data/cara.db";
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_WATCH_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** Every key the server reads; any other key in config.yaml or .env stops it at start-up. */
    public static final List<String> KEYS = List.of("HOST", "PORT", "DATABASE_URL", "HEARTBEAT_TIMEOUT", "DEBUG",
            "WATCH_KEEPALIVE", "READ_TIMEOUT");

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(storeUrl, "storeUrl");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(watchKeepAlive, "watchKeepAlive");
        Objects.requireNonNull(readTimeout, "readTimeout");
    }

    /** Settings with the default watch keep-alive and read timeout. */
    public ServerSettings(String host, int port, String storeUrl, Duration heartbeatTimeout, boolean debug) {
        this(host, port, storeUrl, heartbeatTimeout, debug, DEFAULT_WATCH_KEEPALIVE, DEFAULT_READ_TIMEOUT);
    }

    /** The same settings with another watch keep-alive interval (tests use a short one). */
    public ServerSettings withWatchKeepAlive(Duration value) {
        return new ServerSettings(host, port, storeUrl, heartbeatTimeout, debug, value, readTimeout);
    }

    /**
     * Reads the server's {@link #KEYS}: {@code HOST}, {@code PORT}, {@code DATABASE_URL} (alias
     * {@code STORE}), {@code HEARTBEAT_TIMEOUT}, {@code DEBUG}, {@code WATCH_KEEPALIVE}, {@code READ_TIMEOUT}.
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
                s.duration("HEARTBEAT_TIMEOUT", DEFAULT_HEARTBEAT_TIMEOUT), s.bool("DEBUG", false),
                s.duration("WATCH_KEEPALIVE", DEFAULT_WATCH_KEEPALIVE), s.duration("READ_TIMEOUT", DEFAULT_READ_TIMEOUT));
    }

    /** For start-up lines: the store URL without a password. */
    public String describeStore() {
        return storeUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "host=" + host + " port=" + port + " store=" + describeStore() + " heartbeatTimeout="
                + Durations.format(heartbeatTimeout) + " debug=" + debug + " watchKeepAlive=" + Durations.format(watchKeepAlive)
                + " readTimeout=" + Durations.format(readTimeout);
    }
}
