package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.internal.PicocliFlags;
import dev.cara.sdk.internal.SettingFlag;
import dev.cara.sdk.internal.Settings;
import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * {@code java -jar cara-agent.jar [flags]} runs the agent; {@code java -jar cara-agent.jar simulate ...}
 * runs the fleet simulator. Wiring only: flags and settings -> {@link CaraAgent}.
 */
@Command(name = "cara-agent", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {SimulateCommand.class},
        description = {
                "Registers this machine as a node with a cara control plane and heartbeats its facts.",
                "Each setting can also come from config.yaml, .env or the environment (the name in brackets);",
                "later sources win: config.yaml, .env, environment, flags."})
public final class Main implements Callable<Integer> {

    @CommandLine.Mixin
    ServerOption server = new ServerOption();

    /**
     * Every flag that sets one setting, declared once: the settings key, then the label and help of its
     * value, then its names. {@link #commandLine} adds them to the command line; the help sorts them.
     */
    static final List<SettingFlag> FLAGS = List.of(
            SettingFlag.of(AgentSettings.NODE_NAME, "NAME",
                    "This node's name (NODE_NAME; default: the host name, lower-cased and made valid).", "--node-name"),
            SettingFlag.of(AgentSettings.HEARTBEAT_INTERVAL, "DURATION",
                    "Time between heartbeats, jittered by ±10%% (HEARTBEAT_INTERVAL; default 30s).", "--heartbeat-interval"),
            SettingFlag.of(AgentSettings.AGENT_LISTEN_PORT, "PORT",
                    "Port of the agent's /healthz and /info (AGENT_LISTEN_PORT; default 9090).", "--listen-port", "--agent-listen-port"),
            SettingFlag.of(AgentSettings.AGENT_LISTEN_ADDRESS, "ADDRESS",
                    "Address of the agent's endpoint (AGENT_LISTEN_ADDRESS; default 0.0.0.0).", "--listen-address", "--agent-listen-address"),
            SettingFlag.bool(AgentSettings.DEBUG, "Log every heartbeat and retry (DEBUG; default false).", "--debug"),
            SettingFlag.of(AgentSettings.SYSTEM_RESERVED, "LIST", "Resources kept for the system, subtracted from capacity to give"
                    + " allocatable (SYSTEM_RESERVED; default cpu=100m,memory=256Mi,ephemeral-storage=1Gi).", "--system-reserved"),
            SettingFlag.of(AgentSettings.MEMORY_PRESSURE_THRESHOLD, "AMOUNT", "MemoryPressure when less memory than this is available,"
                    + " as 5%% or 500Mi (MEMORY_PRESSURE_THRESHOLD; default 5%%).", "--memory-pressure-threshold"),
            SettingFlag.of(AgentSettings.DISK_PRESSURE_THRESHOLD, "AMOUNT", "DiskPressure when less disk than this is available,"
                    + " as 10%% or 5Gi (DISK_PRESSURE_THRESHOLD; default 10%%).", "--disk-pressure-threshold"),
            SettingFlag.of(AgentSettings.DISK_PATH, "PATH",
                    "A path on the file system reported as ephemeral-storage (DISK_PATH; default /).", "--disk-path"),
            SettingFlag.of(AgentSettings.NODE_IP, "IP",
                    "The IP to report (NODE_IP; default: the local address of the route to the server).", "--node-ip"),
            SettingFlag.of(ProjectSettings.RUNTIME, "docker|simulated", "What runs the projects bound to this node: Docker"
                    + " containers, or an in-memory simulation that runs nothing (RUNTIME; default docker).", "--runtime"),
            SettingFlag.of(ProjectSettings.DOCKER_SOCKET, "PATH",
                    "The Docker Engine's unix socket (DOCKER_SOCKET; default " + DockerRuntime.DEFAULT_SOCKET + ").", "--docker-socket"),
            SettingFlag.of(ProjectSettings.RECONCILE_INTERVAL, "DURATION", "Reconcile this node's projects at least this often,"
                    + " besides on every project event (RECONCILE_INTERVAL; default 10s).", "--reconcile-interval"),
            SettingFlag.of(ProjectSettings.SIMULATED_STATE, "FILE", "With --runtime simulated: keep the simulated containers in FILE,"
                    + " so that they outlive a restart as Docker's do (SIMULATED_STATE; default: in memory only).", "--simulated-state"),
            SettingFlag.of(AgentCredentials.TOKEN_FILE, "FILE",
                    "The token to start with: a bootstrap token (or a node credential), first line of FILE (TOKEN_FILE).", "--token-file"),
            SettingFlag.of(AgentCredentials.CREDENTIAL_FILE, "FILE", "Where the node credential from the first registration is kept,"
                    + " mode 0600, and read from then on (CREDENTIAL_FILE; default ./cara-agent-credential).", "--credential-file"),
            SettingFlag.of(AgentCredentials.CERTIFICATE_AUTHORITY, "FILE",
                    "Trust the CA certificates in FILE (PEM) for an https server (CERTIFICATE_AUTHORITY).", "--certificate-authority"),
            SettingFlag.bool(AgentCredentials.INSECURE_SKIP_TLS_VERIFY, "Accept any server certificate (tests only: anyone on the path"
                    + " can pose as the server; warns; INSECURE_SKIP_TLS_VERIFY).", "--insecure-skip-tls-verify"),
            SettingFlag.of(AgentCredentials.CLIENT_CERTIFICATE, "FILE",
                    "A client certificate chain (PEM) to present (mTLS; CLIENT_CERTIFICATE).", "--client-certificate"),
            SettingFlag.of(AgentCredentials.CLIENT_KEY, "FILE", "The PEM (PKCS#8) key of --client-certificate (CLIENT_KEY).", "--client-key"));

    @Spec
    CommandSpec spec;

    @Option(names = {"--label", "-l"}, paramLabel = "KEY=VALUE",
            description = "A label to register the node with; repeatable (NODE_LABELS, comma-separated).")
    List<String> labels;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML settings file to read instead of config.yaml in the working directory.")
    Path config;

    /** A call slower than this counts as the server being unreachable; the loop then backs off. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Set once the agent runs: then main must return and leave the process to the agent's threads. */
    private volatile boolean running;

    public static void main(String[] args) {
        Main main = new Main();
        int code = commandLine(main).execute(args);
        if (!main.running) {
            System.exit(code);
        }
    }

    /** The command line of {@code main}: its annotated options and mixin, and the rows of {@link #FLAGS}. */
    static CommandLine commandLine(Main main) {
        CommandLine cl = new CommandLine(main);
        PicocliFlags.addTo(cl.getCommandSpec(), FLAGS);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Users get one line that names what is wrong; DEBUG=true adds the trace.
            boolean known = e instanceof CaraException;
            commandLine.getErr().println(commandLine.getCommandName() + ": " + (known ? e.getMessage()
                    : "unexpected error: " + HeartbeatLoop.describe(e) + " (set DEBUG=true for details)"));
            if (!known && Boolean.parseBoolean(System.getenv("DEBUG"))) {
                e.printStackTrace(commandLine.getErr());
            }
            return known ? 2 : 1;
        });
        return cl;
    }

    @Override
    public Integer call() {
        Settings layered = settings();
        AgentSettings settings = AgentSettings.from(layered, OshiHostProbe::osHostname);
        AgentCredentials credentials = AgentCredentials.from(layered);
        AgentLogging.configure(settings.debug());
        keepConnectionsAlive(settings.connectionKeepAlive());
        CaraClient client = credentials.client(settings.serverUrl(), REQUEST_TIMEOUT);
        CaraAgent agent = CaraAgent.start(settings,
                client, new OshiHostProbe(settings.diskPath(), settings.serverUrl(), settings.nodeIp()));
        // SIGTERM (and Ctrl-C) is the planned way to stop: the goodbye heartbeat is sent while logging
        // still works, then the process exits 0, not the JVM's 143, so that systemd and supervisors do
        // not record a failure. A shutdown hook is the fallback for any other way the JVM ends; it
        // cannot log reliably, because java.util.logging resets itself in a hook of its own.
        Runnable stop = () -> {
            agent.close();
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.flush();
            }
        };
        for (String signal : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                stop.run();
                System.exit(0);
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "cara-agent-shutdown"));
        running = true;
        return 0;
    }

    /** The layered settings: config.yaml, .env, the environment, then these flags. */
    Settings settings() {
        return flags(Settings.builder()
                .configFile(config)
                // A typo in config.yaml or .env is an error, not a default; the credential keys are settings too.
                .knownKeys(java.util.stream.Stream.concat(AgentSettings.DEFAULTS.keySet().stream(), AgentCredentials.KEYS.stream())
                        .collect(java.util.stream.Collectors.toSet())))
                .build();
    }

    /** {@code sources} with the flags given on this command line, which win over every other source. */
    Settings.Builder flags(Settings.Builder sources) {
        return sources
                .flag(AgentSettings.SERVER_URL, "--server-url", server.serverUrl)
                .flag(AgentSettings.NODE_LABELS, "--label", labels == null ? null : String.join(",", labels))
                .flags(FLAGS, name -> spec.findOption(name).getValue());
    }

    /** The JDK client's keep-alive property, read once when its first client is made. */
    static final String KEEP_ALIVE_PROPERTY = "jdk.httpclient.keepalive.timeout";

    /**
     * Keeps the HTTP client's idle connections open for {@code keepAlive} (see
     * {@link AgentSettings#connectionKeepAlive}), unless the operator chose a value with
     * {@code -Djdk.httpclient.keepalive.timeout}. The JDK reads the property once, when its first client
     * is made, and it has no per-client setting, so this must run before any client exists.
     */
    static void keepConnectionsAlive(Duration keepAlive) {
        if (System.getProperty(KEEP_ALIVE_PROPERTY) == null) {
            System.setProperty(KEEP_ALIVE_PROPERTY, Long.toString(keepAlive.toSeconds()));
        }
    }

    /** The HTTP transport from the SDK. */
    static CaraClient httpClient(URI serverUrl, Duration requestTimeout) {
        return CaraClient.httpBuilder()
                .baseUrl(serverUrl)
                .requestTimeout(requestTimeout)
                .userAgent("cara-agent/" + VersionInfo.current().version())
                .build();
    }

    /** {@code --version}: the agent's build and the wire format it speaks. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            VersionInfo v = VersionInfo.current();
            return new String[] {"cara-agent " + v.version() + " (build " + v.build() + ", " + v.apiVersion() + ")"};
        }
    }
}
