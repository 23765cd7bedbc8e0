package dev.cara.server;

import dev.cara.sdk.Durations;
import dev.cara.sdk.EventFolding;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.FlapDamping;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param security         who may call the API, and over what
 * @param events           how long events are kept and how flapping nodes are damped
 */
public record ServerSettings(String host, int port, String storeUrl, Duration heartbeatTimeout, boolean debug,
                             Duration watchKeepAlive, Duration readTimeout, SecuritySettings security, EventSettings events) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_STORE = "mapdb:./cara-data/cara.db";
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_WATCH_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** Every key the server reads; any other key in config.yaml or .env stops it at start-up. */
    public static final List<String> KEYS = List.of("HOST", "PORT", "DATABASE_URL", "HEARTBEAT_TIMEOUT", "DEBUG",
            "WATCH_KEEPALIVE", "READ_TIMEOUT", "AUTH", "ADMIN_TOKEN_FILE", "OPEN_VERSION", "OPEN_METRICS", "TLS_CERT",
            "TLS_KEY", "TLS_CLIENT_CA", "EVENTS_MAX_AGE", "EVENTS_MAX_COUNT", "EVENTS_FOLD_WINDOW", "FLAP_DAMPING_ENABLED",
            "FLAP_DAMPING_MAX_FLAPS", "FLAP_DAMPING_WINDOW", "FLAP_DAMPING_HOLD_OFF");

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(storeUrl, "storeUrl");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(watchKeepAlive, "watchKeepAlive");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(events, "events");
    }

    /** Settings with the server's default event retention and flap damping ({@link EventSettings#DEFAULTS}). */
    public ServerSettings(String host, int port, String storeUrl, Duration heartbeatTimeout, boolean debug,
                          Duration watchKeepAlive, Duration readTimeout, SecuritySettings security) {
        this(host, port, storeUrl, heartbeatTimeout, debug, watchKeepAlive, readTimeout, security, EventSettings.DEFAULTS);
    }

    /** Settings with the default watch keep-alive and read timeout, in open mode ({@code --auth none}, plain HTTP). */
    public ServerSettings(String host, int port, String storeUrl, Duration heartbeatTimeout, boolean debug) {
        this(host, port, storeUrl, heartbeatTimeout, debug, DEFAULT_WATCH_KEEPALIVE, DEFAULT_READ_TIMEOUT, SecuritySettings.OPEN);
    }

    /** The same settings with another watch keep-alive interval (tests use a short one). */
    public ServerSettings withWatchKeepAlive(Duration value) {
        return new ServerSettings(host, port, storeUrl, heartbeatTimeout, debug, value, readTimeout, security, events);
    }

    /**
     * Reads the server's {@link #KEYS}: {@code HOST}, {@code PORT}, {@code DATABASE_URL} (alias
     * {@code STORE}), {@code HEARTBEAT_TIMEOUT}, {@code DEBUG}, {@code WATCH_KEEPALIVE}, {@code READ_TIMEOUT}, and the security keys
     * ({@link SecuritySettings#from}).
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
                s.duration("WATCH_KEEPALIVE", DEFAULT_WATCH_KEEPALIVE), s.duration("READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
                SecuritySettings.from(s), EventSettings.from(s));
    }

    /** Where the server keeps files of its own (the first admin token): the MapDB file's directory, else ./cara-data. */
    public Path dataDirectory() {
        if (storeUrl.startsWith("mapdb:")) {
            Path parent = Path.of(storeUrl.substring("mapdb:".length())).toAbsolutePath().getParent();
            if (parent != null) {
                return parent;
            }
        }
        return Path.of("cara-data").toAbsolutePath();
    }

    /** For start-up lines: the store URL without a password. */
    public String describeStore() {
        return storeUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "host=" + host + " port=" + port + " store=" + describeStore() + " heartbeatTimeout="
                + Durations.format(heartbeatTimeout) + " debug=" + debug + " watchKeepAlive=" + Durations.format(watchKeepAlive)
                + " readTimeout=" + Durations.format(readTimeout) + " " + security + " " + events;
    }

    /**
     * The event history's retention and flap damping. In {@code config.yaml} they nest:
     * {@code events: {maxAge: 1h, maxCount: 100000, foldWindow: 10m}} and
     * {@code flapDamping: {enabled: true, maxFlaps: 5, window: 10m, holdOff: 5m}}; as environment
     * variables {@code EVENTS_MAX_AGE}, {@code FLAP_DAMPING_ENABLED} and so on.
     *
     * @param retention   how long and how many events are kept, and how repeats fold
     * @param flapDamping on in the server by default ({@link FlapDamping#recommended()})
     */
    public record EventSettings(EventPolicy retention, FlapDamping flapDamping) {
        /** The SDK's default retention (1h, 100,000 events, 10m folds) and the recommended flap damping. */
        public static final EventSettings DEFAULTS = new EventSettings(EventPolicy.defaults(), FlapDamping.recommended());

        public EventSettings {
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(flapDamping, "flapDamping");
        }

        /**
         * Reads {@code EVENTS_MAX_AGE}, {@code EVENTS_MAX_COUNT}, {@code EVENTS_FOLD_WINDOW},
         * {@code FLAP_DAMPING_ENABLED} (default true), {@code FLAP_DAMPING_MAX_FLAPS},
         * {@code FLAP_DAMPING_WINDOW} and {@code FLAP_DAMPING_HOLD_OFF}.
         */
        public static EventSettings from(Settings s) {
            EventPolicy retention = EventPolicy.builder()
                    .maxAge(positive(s, "EVENTS_MAX_AGE", EventPolicy.DEFAULT_MAX_AGE, "1h"))
                    .maxCount(s.integer("EVENTS_MAX_COUNT", EventPolicy.DEFAULT_MAX_COUNT, 1, Integer.MAX_VALUE))
                    .foldWindow(positive(s, "EVENTS_FOLD_WINDOW", EventFolding.DEFAULT_WINDOW, "10m"))
                    .build();
            FlapDamping damping = FlapDamping.disabled();
            if (s.bool("FLAP_DAMPING_ENABLED", true)) {
                damping = FlapDamping.builder()
                        .maxFlaps(s.integer("FLAP_DAMPING_MAX_FLAPS", FlapDamping.RECOMMENDED_MAX_FLAPS, 1, Integer.MAX_VALUE))
                        .window(positive(s, "FLAP_DAMPING_WINDOW", FlapDamping.RECOMMENDED_WINDOW, "10m"))
                        .holdOff(positive(s, "FLAP_DAMPING_HOLD_OFF", FlapDamping.RECOMMENDED_HOLD_OFF, "5m"))
                        .build();
            }
            return new EventSettings(retention, damping);
        }

        private static Duration positive(Settings s, String key, Duration fallback, String example) {
            Duration d = s.duration(key, fallback);
            if (d.isZero() || d.isNegative()) {
                throw s.invalid(key, "a positive duration, for example " + example);
            }
            return d;
        }

        @Override
        public String toString() {
            return "events=" + Durations.format(retention.maxAge()) + "/" + retention.maxCount() + " " + flapDamping;
        }
    }

    /**
     * Security settings.
     *
     * @param tokens         whether the API asks for a bearer token ({@code AUTH=token}) or is open to
     *                       anyone who can reach it ({@code AUTH=none}, the default until agents keep
     *                       their credentials and tokens live in the durable stores)
     * @param adminTokenFile where the first admin token is read from (or written to, mode 0600, when
     *                       missing); empty for {@code admin-token} in the data directory
     * @param openVersion    whether {@code /api/v1/version} answers without a token
     * @param openMetrics    whether {@code /observe/metrics} answers without a token ({@code OPEN_METRICS},
     *                       default true); when not, it wants an admin or viewer token
     * @param tlsCert        the server's certificate chain (PEM), for HTTPS
     * @param tlsKey         its private key (PEM, PKCS#8)
     * @param tlsClientCa    the CA (PEM) whose client certificates are accepted as node credentials (mTLS)
     */
    public record SecuritySettings(boolean tokens, Optional<Path> adminTokenFile, boolean openVersion, boolean openMetrics,
                                   Optional<Path> tlsCert, Optional<Path> tlsKey, Optional<Path> tlsClientCa) {
        /** No tokens, no TLS. */
        public static final SecuritySettings OPEN = new SecuritySettings(false, Optional.empty(), true, true,
                Optional.empty(), Optional.empty(), Optional.empty());

        public SecuritySettings {
            Objects.requireNonNull(adminTokenFile, "adminTokenFile");
            Objects.requireNonNull(tlsCert, "tlsCert");
            Objects.requireNonNull(tlsKey, "tlsKey");
            Objects.requireNonNull(tlsClientCa, "tlsClientCa");
            if (tlsCert.isPresent() != tlsKey.isPresent()) {
                throw new InvalidException("TLS_CERT and TLS_KEY go together: give both for HTTPS, or neither for HTTP");
            }
            if (tlsClientCa.isPresent() && tlsCert.isEmpty()) {
                throw new InvalidException("TLS_CLIENT_CA needs HTTPS: give TLS_CERT and TLS_KEY too");
            }
        }

        /**
         * Reads {@code AUTH} ({@code token} or {@code none}), {@code ADMIN_TOKEN_FILE}, {@code OPEN_VERSION}, {@code OPEN_METRICS},
         * {@code TLS_CERT}, {@code TLS_KEY}, {@code TLS_CLIENT_CA}. Files must exist and be readable
         * (the admin token file may be missing: it is then created).
         */
        public static SecuritySettings from(Settings s) {
            boolean tokens = s.oneOf("AUTH", "none", List.of("token", "none")).equals("token");
            return new SecuritySettings(tokens, s.string("ADMIN_TOKEN_FILE").map(Path::of), s.bool("OPEN_VERSION", false),
                    s.bool("OPEN_METRICS", true),
                    readable(s, "TLS_CERT"), readable(s, "TLS_KEY"), readable(s, "TLS_CLIENT_CA"));
        }

        public boolean tls() {
            return tlsCert.isPresent();
        }

        private static Optional<Path> readable(Settings s, String key) {
            Optional<Path> p = s.string(key).map(Path::of);
            if (p.isPresent() && !Files.isReadable(p.get())) {
                throw s.invalid(key, "a readable PEM file (it does not exist or cannot be read)");
            }
            return p;
        }

        @Override
        public String toString() {
            return "auth=" + (tokens ? "token" : "none") + " tls=" + tls() + " mtls=" + tlsClientCa.isPresent();
        }
    }
}
