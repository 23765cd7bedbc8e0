package dev.cara.store.jdbc;

import dev.cara.sdk.Durations;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.Ticker;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Builds a {@link JdbcStore}: {@code JdbcStore.builder(url).poolSize(10).build()}. Each setting is
 * checked when it is set and may be set once. {@link Database} and the store read the settings from
 * the builder's fields, so that there is one list of them, not a builder forwarding to a copy.
 *
 * <p><b>Threads.</b> Owned by the thread that builds the store; read-only once the store is built.
 */
public final class JdbcStoreBuilder {
    static final Duration MAX_FLUSH_WINDOW = Duration.ofMillis(100);

    final String url;
    String user;
    String password;
    int poolSize = 10;
    Duration flushWindow = MAX_FLUSH_WINDOW;
    Duration leaseTtl = Duration.ofSeconds(10);
    Duration connectTimeout = Duration.ofSeconds(2);
    Duration socketTimeout = Duration.ofSeconds(15);
    int changeHistory = 100_000;
    /** Change rows one compaction statement deletes at most: bounds each DELETE's locks and undo. */
    int compactionBatch = 2_000;
    Duration compactionInterval = Duration.ofSeconds(10);
    EventPolicy events = EventPolicy.defaults();
    Ticker ticker = Ticker.system();
    String holder = defaultHolder();
    private final Set<String> set = new HashSet<>();

    /** A setting's value, checked to be set once and not null. */
    private <T> T given(String setting, T value) {
        once(setting);
        return Objects.requireNonNull(value, setting);
    }

    JdbcStoreBuilder(String url) {
        Dialect.of(url); // fail early on a URL we cannot serve
        this.url = url;
    }

    /** The database user, when the URL does not name one. */
    public JdbcStoreBuilder user(String value) {
        user = given("user", value);
        return this;
    }

    /** The database password, when the URL does not carry one. */
    public JdbcStoreBuilder password(String value) {
        password = given("password", value);
        return this;
    }

    /** Connections in the pool, 1 to 200. Default 10. */
    public JdbcStoreBuilder poolSize(int value) {
        once("poolSize");
        if (value < 1 || value > 200) {
            throw new IllegalArgumentException("poolSize must be between 1 and 200, was " + value);
        }
        poolSize = value;
        return this;
    }

    /**
     * How long a heartbeat may wait, acknowledged, before it is written with the others of its
     * window. Default and maximum: 100 ms.
     */
    public JdbcStoreBuilder flushWindow(Duration value) {
        once("flushWindow");
        Objects.requireNonNull(value, "flushWindow");
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_FLUSH_WINDOW) > 0) {
            throw new IllegalArgumentException("flushWindow must be more than 0 and at most 100ms, was " + spell(value));
        }
        flushWindow = value;
        return this;
    }

    /**
     * How long the leader's lease lasts without renewal; a dead leader is replaced within it.
     * Default 10 s, at least 500 ms.
     */
    public JdbcStoreBuilder leaseTtl(Duration value) {
        leaseTtl = atLeast("leaseTtl", value, Duration.ofMillis(500));
        return this;
    }

    /** How long to wait for a connection before answering "unavailable". Default 2 s, at least 250 ms. */
    public JdbcStoreBuilder connectTimeout(Duration value) {
        connectTimeout = atLeast("connectTimeout", value, Duration.ofMillis(250));
        return this;
    }

    /** How long one database round trip may take before the connection is considered dead. Default 15 s, at least 1 s. */
    public JdbcStoreBuilder socketTimeout(Duration value) {
        socketTimeout = atLeast("socketTimeout", value, Duration.ofSeconds(1));
        return this;
    }

    /**
     * Changes kept for the change feed; a watcher or a monitor further behind lists again. Default
     * 100,000 (about 30 s of 100,000 nodes heartbeating every 30 s).
     */
    public JdbcStoreBuilder changeHistory(int value) {
        changeHistory = atLeastOne("changeHistory", value);
        return this;
    }

    /** How {@link JdbcStore#events()} folds events and how many, and how old, it keeps. Default: {@link EventPolicy#defaults()}. */
    public JdbcStoreBuilder events(EventPolicy value) {
        events = given("events", value);
        return this;
    }

    /** For tests: change rows one compaction statement deletes at most. Default 2,000. */
    JdbcStoreBuilder compactionBatch(int value) {
        compactionBatch = atLeastOne("compactionBatch", value);
        return this;
    }

    /** For tests: how often the background thread compacts the change feed. Default 10 s. */
    JdbcStoreBuilder compactionInterval(Duration value) {
        once("compactionInterval");
        Objects.requireNonNull(value, "compactionInterval");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("compactionInterval must be more than 0, was " + spell(value));
        }
        compactionInterval = value;
        return this;
    }

    /** The monotonic time source for the lease's local deadline. Default: {@link Ticker#system()}. */
    public JdbcStoreBuilder ticker(Ticker value) {
        ticker = given("ticker", value);
        return this;
    }

    /** This replica's name in the lease row. Default: host, process id and a random suffix. */
    public JdbcStoreBuilder holder(String value) {
        once("holder");
        if (value == null || value.isBlank() || value.length() > 200) {
            throw new IllegalArgumentException("holder must be 1 to 200 characters, was " + value);
        }
        holder = value;
        return this;
    }

    /**
     * Opens the pool and brings the schema up to date.
     *
     * @throws dev.cara.sdk.UnavailableException when the database cannot be reached
     */
    public JdbcStore build() {
        return new JdbcStore(this);
    }

    /** A duration setting's value, checked to be set once and at least {@code min}. */
    private Duration atLeast(String setting, Duration value, Duration min) {
        given(setting, value);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(setting + " must be at least " + spell(min) + ", was " + spell(value));
        }
        return value;
    }

    /** A count setting's value, checked to be set once and at least 1. */
    private int atLeastOne(String setting, int value) {
        once(setting);
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + value);
        }
        return value;
    }

    /** The URL without its password, for logs and messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** A duration as settings spell it ({@code 1s}, {@code 250ms}), for messages. */
    private static String spell(Duration d) {
        return d.isNegative() ? d.toString() : Durations.format(d);
    }

    private void once(String setting) {
        if (!set.add(setting)) {
            throw new IllegalStateException(setting + " was already set");
        }
    }

    private static String defaultHolder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
