package dev.cara.server;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.Settings;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code cara-server}: reads the settings (config.yaml, .env, environment, flags; later wins),
 * starts {@link CaraServer}, prints one line, and on SIGTERM or Ctrl-C shuts down gracefully.
 * A bad setting stops it with one line naming the key, the value and what is allowed (exit 2).
 */
@Command(name = "cara-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = "The cara control plane: REST API v1 under /api/v1, health at /observe/health, metrics at /observe/metrics.",
        footer = {"", "Environment: HOST, PORT, DATABASE_URL, HEARTBEAT_TIMEOUT, WATCH_KEEPALIVE, READ_TIMEOUT, AUTH, ADMIN_TOKEN_FILE,",
                "OPEN_VERSION, OPEN_METRICS, TLS_CERT, TLS_KEY, TLS_CLIENT_CA, DEBUG. Sources, later winning:",
                "config.yaml (or --config), .env, the environment, then flags."})
public final class Main implements Callable<Integer> {
    /** Held so that the level set on it is kept: java.util.logging holds loggers weakly. */
    private static final Logger LEADERSHIP_LOG = Logger.getLogger(ControlPlane.LEADERSHIP_LOGGER);
    static final int EXIT_BAD_SETTING = 2;
    static final int EXIT_UNAVAILABLE = 3;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default 8080; 0 picks a free one).")
    String port;

    @Option(names = "--store", paramLabel = "URL",
            description = "Store URL: memory:, mapdb:PATH or jdbc:... (default mapdb:./cara-data/cara.db).")
    String store;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION",
            description = "Silence after which a node is NotReady, such as 90s, 1m or 2m30s (default 90s).")
    String heartbeatTimeout;

    @Option(names = "--flap-damping", paramLabel = "true|false",
            description = "Hold a node that goes NotReady -> Ready too often NotReady until it is stable (default true).")
    String flapDamping;

    @Option(names = "--events-max-age", paramLabel = "DURATION",
            description = "How long events are kept after they last happened (default 1h).")
    String eventsMaxAge;

    @Option(names = "--events-max-count", paramLabel = "N", description = "How many events are kept at most (default 100000).")
    String eventsMaxCount;

    @Option(names = "--auth", paramLabel = "token|none",
            description = "token: every API call needs a bearer token; none (default for now, warns): open to anyone who can reach it.")
    String auth;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "The first admin token: read from FILE, or created there (mode 0600) when missing (default DATA_DIR/admin-token).")
    Path adminTokenFile;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "The server's certificate chain (PEM): serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key of --tls-cert (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Accept client certificates signed by this CA (PEM) as node credentials; the CN names the node (mTLS).")
    Path tlsClientCa;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML settings file to read instead of ./config.yaml.")
    Path config;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("cara-server: " + e.getMessage() + " (see --help)");
            return EXIT_BAD_SETTING;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings;
        try {
            Settings s = Settings.builder()
                    .configFile(config)
                    .knownKeys(ServerSettings.KEYS) // a typo in config.yaml or .env is an error, not a default
                    .alias("STORE", "DATABASE_URL")
                    .flag("HOST", "--host", host)
                    .flag("PORT", "--port", port)
                    .flag("DATABASE_URL", "--store", store)
                    .flag("HEARTBEAT_TIMEOUT", "--heartbeat-timeout", heartbeatTimeout)
                    .flag("AUTH", "--auth", auth)
                    .flag("FLAP_DAMPING_ENABLED", "--flap-damping", flapDamping)
                    .flag("EVENTS_MAX_AGE", "--events-max-age", eventsMaxAge)
                    .flag("EVENTS_MAX_COUNT", "--events-max-count", eventsMaxCount)
                    .flag("ADMIN_TOKEN_FILE", "--admin-token-file", text(adminTokenFile))
                    .flag("TLS_CERT", "--tls-cert", text(tlsCert))
                    .flag("TLS_KEY", "--tls-key", text(tlsKey))
                    .flag("TLS_CLIENT_CA", "--tls-client-ca", text(tlsClientCa))
                    .build();
            settings = ServerSettings.from(s);
        } catch (InvalidException e) {
            System.err.println("cara-server: " + e.getMessage());
            return EXIT_BAD_SETTING;
        }
        configureLogging(settings.debug());
        Audit.toStandardOutput();

        CaraServer server;
        try {
            server = CaraServer.start(settings);
        } catch (InvalidException e) {
            System.err.println("cara-server: " + e.getMessage());
            return EXIT_BAD_SETTING;
        } catch (UnavailableException e) {
            System.err.println("cara-server: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        } catch (RuntimeException e) {
            // For example the port is taken: one line, the detail in the log when DEBUG is on.
            Logger.getLogger(Main.class.getName()).log(Level.FINE, "start-up failed", e);
            System.err.println("cara-server: could not start on " + settings.host() + ":" + settings.port() + ": " + rootMessage(e));
            return EXIT_UNAVAILABLE;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("cara-server stopped");
            System.out.flush();
            stopped.countDown();
        }, "cara-shutdown"));
        if (!settings.security().tokens()) {
            System.err.println("cara-server: WARNING: --auth none: anyone who can reach " + server.url()
                    + " may register, change and delete nodes; use it for development only");
        }
        System.out.println(server.startupLine());
        server.adminToken().filter(AdminToken.Outcome::created).ifPresent(t -> System.out.println(
                "cara-server: first admin token (shown once; also in " + t.file() + ", mode 0600): " + t.token()));
        System.out.flush();
        stopped.await(); // the shutdown hook ends the process
        return 0;
    }

    private static String text(Path p) {
        return p == null ? null : p.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * Quiet by default (the start-up line says what matters), except that a change of leader is news
     * an operator must see: {@link ControlPlane#LEADERSHIP_LOGGER} shows at INFO. DEBUG shows Helidon's
     * and cara's detail.
     */
    static void configureLogging(boolean debug) {
        Logger root = Logger.getLogger("");
        Level level = debug ? Level.FINE : Level.WARNING;
        root.setLevel(level);
        LEADERSHIP_LOG.setLevel(debug ? Level.FINE : Level.INFO);
        for (var h : root.getHandlers()) {
            h.setLevel(debug ? Level.FINE : Level.INFO);
            if (!debug) {
                // INFO passes the handler only from the leadership logger; everything else stays at WARNING.
                h.setFilter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                        || ControlPlane.LEADERSHIP_LOGGER.equals(r.getLoggerName()));
            }
        }
        if (debug) {
            Logger.getLogger("io.helidon").setLevel(Level.INFO);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            VersionInfo v = VersionInfo.current();
            return new String[] {"cara-server " + v.version() + " (build " + v.build() + ", API " + v.apiVersion() + ")"};
        }
    }
}
