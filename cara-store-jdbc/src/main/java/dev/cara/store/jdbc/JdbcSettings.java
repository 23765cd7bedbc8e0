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
 * The settings of one store, checked as they are set, each settable once: what
 * {@link JdbcStore.Builder} collects and {@link Database} and the store read.
 *
 * <p><b>Threads.</b> Owned by the thread that builds the store; read-only once the store is built.
 */
final class JdbcSettings {
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

    JdbcSettings(String url) {
        Dialect.of(url); // fail early on a URL we cannot serve
        this.url = url;
    }

    void user(String value) {
        user = given("user", value);
    }

    void password(String value) {
        password = given("password", value);
    }

    void poolSize(int value) {
        once("poolSize");
        if (value < 1 || value > 200) {
            throw new IllegalArgumentException("poolSize must be between 1 and 200, was " + value);
        }
        poolSize = value;
    }

    void flushWindow(Duration value) {
        once("flushWindow");
        Objects.requireNonNull(value, "flushWindow");
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_FLUSH_WINDOW) > 0) {
            throw new IllegalArgumentException("flushWindow must be more than 0 and at most 100ms, was " + spell(value));
        }
        flushWindow = value;
    }

    void leaseTtl(Duration value) {
        once("leaseTtl");
        leaseTtl = atLeast("leaseTtl", value, Duration.ofMillis(500));
    }

    void connectTimeout(Duration value) {
        once("connectTimeout");
        connectTimeout = atLeast("connectTimeout", value, Duration.ofMillis(250));
    }

    void socketTimeout(Duration value) {
        once("socketTimeout");
        socketTimeout = atLeast("socketTimeout", value, Duration.ofSeconds(1));
    }

    void changeHistory(int value) {
        once("changeHistory");
        changeHistory = atLeastOne("changeHistory", value);
    }

    void events(EventPolicy value) {
        events = given("events", value);
    }

    void compactionBatch(int value) {
        once("compactionBatch");
        compactionBatch = atLeastOne("compactionBatch", value);
    }

    void compactionInterval(Duration value) {
        once("compactionInterval");
        Objects.requireNonNull(value, "compactionInterval");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("compactionInterval must be more than 0, was " + spell(value));
        }
        compactionInterval = value;
    }

    void ticker(Ticker value) {
        ticker = given("ticker", value);
    }

    void holder(String value) {
        once("holder");
        if (value == null || value.isBlank() || value.length() > 200) {
            throw new IllegalArgumentException("holder must be 1 to 200 characters, was " + value);
        }
        holder = value;
    }

    private static Duration atLeast(String setting, Duration value, Duration min) {
        Objects.requireNonNull(value, setting);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(setting + " must be at least " + spell(min) + ", was " + spell(value));
        }
        return value;
    }

    private static int atLeastOne(String setting, int value) {
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
