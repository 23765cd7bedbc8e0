package dev.cara.server;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.PicocliFlags;
import dev.cara.sdk.internal.SettingFlag;
import dev.cara.sdk.internal.Settings;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Every flag that sets a setting, declared once: the settings key, then the label and help of its
     * value, then its name. {@link #run} adds them to the command line in this order, before --config.
     */
    static final List<SettingFlag> FLAGS = List.of(
            SettingFlag.of("HOST", "HOST", "Address to listen on (default 0.0.0.0).", "--host"),
            SettingFlag.of("PORT", "PORT", "TCP port (default 8080; 0 picks a free one).", "--port"),
            SettingFlag.of("DATABASE_URL", "URL", "Store URL: memory:, mapdb:PATH or jdbc:... (default mapdb:./cara-data/cara.db).",
                    "--store"),
            SettingFlag.of("HEARTBEAT_TIMEOUT", "DURATION",
                    "Silence after which a node is NotReady, such as 90s, 1m or 2m30s (default 90s).", "--heartbeat-timeout"),
            SettingFlag.of("FLAP_DAMPING_ENABLED", "true|false",
                    "Hold a node that goes NotReady -> Ready too often NotReady until it is stable (default true).", "--flap-damping"),
            SettingFlag.of("EVENTS_MAX_AGE", "DURATION", "How long events are kept after they last happened (default 1h).",
                    "--events-max-age"),
            SettingFlag.of("EVENTS_MAX_COUNT", "N", "How many events are kept at most (default 100000).", "--events-max-count"),
            SettingFlag.of("AUTH", "token|none",
                    "token (default): every API call needs a bearer token; none (warns): open to anyone who can reach it.", "--auth"),
            SettingFlag.of("ADMIN_TOKEN_FILE", "FILE",
                    "The first admin token: read from FILE into the store, or created there (mode 0600) when missing"
                            + " (default DATA_DIR/admin-token, created only when the store has no admin token).", "--admin-token-file"),
            SettingFlag.of("TLS_CERT", "FILE", "The server's certificate chain (PEM): serve HTTPS.", "--tls-cert"),
            SettingFlag.of("TLS_KEY", "FILE", "The private key of --tls-cert (PEM, PKCS#8).", "--tls-key"),
            SettingFlag.of("TLS_CLIENT_CA", "FILE",
                    "Accept client certificates signed by this CA (PEM) as node credentials; the CN names the node (mTLS).",
                    "--tls-client-ca"));

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML settings file to read instead of ./config.yaml.")
    Path config;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        // The table's flags first, then the annotated --config, --help and --version, as the help lists them.
        CommandSpec command = cli.getCommandSpec();
        List<OptionSpec> annotated = List.copyOf(command.options());
        annotated.forEach(command::remove);
        PicocliFlags.addTo(command, FLAGS);
        annotated.forEach(command::addOption);
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
                    .flags(FLAGS, name -> spec.findOption(name).getValue())
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
        server.adminToken().filter(AdminToken.Outcome::created).ifPresent(t -> System.out.print(adminTokenBlock(t, server.url())));
        System.out.flush();
        stopped.await(); // the shutdown hook ends the process
        return 0;
    }

    /**
     * The first admin token, printed once as a block of its own on standard output (not through a
     * logger, whose lines may be shipped elsewhere), with the command that puts it to use.
     */
    static String adminTokenBlock(AdminToken.Outcome t, String url) {
        String rule = "-".repeat(72);
        String nl = System.lineSeparator();
        return rule + nl
                + "The first admin token of this store. It is shown this once and kept in" + nl
                + "  " + t.file() + " (mode 0600):" + nl + nl
                + "    " + t.token() + nl + nl
                + "Use it: caractrl config set-context local --server " + url + " --token-file " + t.file() + nl
                + rule + nl;
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
