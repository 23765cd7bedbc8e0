package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.internal.Settings;
import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name (NODE_NAME; default: the host name, lower-cased and made valid).")
    String nodeName;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION",
            description = "Time between heartbeats, jittered by ±10%% (HEARTBEAT_INTERVAL; default 30s).")
    String heartbeatInterval;

    @Option(names = {"--listen-port", "--agent-listen-port"}, paramLabel = "PORT",
            description = "Port of the agent's /healthz and /info (AGENT_LISTEN_PORT; default 9090).")
    String listenPort;

    @Option(names = {"--listen-address", "--agent-listen-address"}, paramLabel = "ADDRESS",
            description = "Address of the agent's endpoint (AGENT_LISTEN_ADDRESS; default 0.0.0.0).")
    String listenAddress;

    @Option(names = "--debug", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Log every heartbeat and retry (DEBUG; default false).")
    String debug;

    @Option(names = {"--label", "-l"}, paramLabel = "KEY=VALUE",
            description = "A label to register the node with; repeatable (NODE_LABELS, comma-separated).")
    List<String> labels;

    @Option(names = "--system-reserved", paramLabel = "LIST",
            description = "Resources kept for the system, subtracted from capacity to give allocatable"
                    + " (SYSTEM_RESERVED; default cpu=100m,memory=256Mi,ephemeral-storage=1Gi).")
    String systemReserved;

    @Option(names = "--memory-pressure-threshold", paramLabel = "AMOUNT",
            description = "MemoryPressure when less memory than this is available, as 5%% or 500Mi"
                    + " (MEMORY_PRESSURE_THRESHOLD; default 5%%).")
    String memoryPressure;

    @Option(names = "--disk-pressure-threshold", paramLabel = "AMOUNT",
            description = "DiskPressure when less disk than this is available, as 10%% or 5Gi"
                    + " (DISK_PRESSURE_THRESHOLD; default 10%%).")
    String diskPressure;

    @Option(names = "--disk-path", paramLabel = "PATH",
            description = "A path on the file system reported as ephemeral-storage (DISK_PATH; default /).")
    String diskPath;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML settings file to read instead of config.yaml in the working directory.")
    Path config;

    @Option(names = "--node-ip", paramLabel = "IP",
            description = "The IP to report (NODE_IP; default: the local address of the route to the server).")
    String nodeIp;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The token to start with: a bootstrap token (or a node credential), first line of FILE (TOKEN_FILE).")
    String tokenFile;

    @Option(names = "--credential-file", paramLabel = "FILE",
            description = "Where the node credential from the first registration is kept, mode 0600, and read from then on "
                    + "(CREDENTIAL_FILE; default ./cara-agent-credential).")
    String credentialFile;

    @Option(names = "--certificate-authority", paramLabel = "FILE", description = "Trust the CA certificates in FILE (PEM) for an https server (CERTIFICATE_AUTHORITY).")
    String certificateAuthority;

    @Option(names = "--insecure-skip-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Accept any server certificate (tests only: anyone on the path can pose as the server; warns; INSECURE_SKIP_TLS_VERIFY).")
    String insecureSkipTlsVerify;

    @Option(names = "--client-certificate", paramLabel = "FILE", description = "A client certificate chain (PEM) to present (mTLS; CLIENT_CERTIFICATE).")
    String clientCertificate;

    @Option(names = "--client-key", paramLabel = "FILE", description = "The PEM (PKCS#8) key of --client-certificate (CLIENT_KEY).")
    String clientKey;

    @Option(names = "--runtime", paramLabel = "docker|simulated",
            description = "What runs the projects bound to this node: Docker containers, or an in-memory simulation"
                    + " that runs nothing (RUNTIME; default docker).")
    String runtime;

    @Option(names = "--docker-socket", paramLabel = "PATH",
            description = "The Docker Engine's unix socket (DOCKER_SOCKET; default " + DockerRuntime.DEFAULT_SOCKET + ").")
    String dockerSocket;

    @Option(names = "--reconcile-interval", paramLabel = "DURATION",
            description = "Reconcile this node's projects at least this often, besides on every project event"
                    + " (RECONCILE_INTERVAL; default 10s).")
    String reconcileInterval;

    @Option(names = "--simulated-state", paramLabel = "FILE",
            description = "With --runtime simulated: keep the simulated containers in FILE, so that they outlive a restart"
                    + " as Docker's do (SIMULATED_STATE; default: in memory only).")
    String simulatedState;

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

    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
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
        return Settings.builder()
                .configFile(config)
                // A typo in config.yaml or .env is an error, not a default; the credential keys are settings too.
                .knownKeys(java.util.stream.Stream.concat(AgentSettings.DEFAULTS.keySet().stream(), AgentCredentials.KEYS.stream())
                        .collect(java.util.stream.Collectors.toSet()))
                .flag(AgentSettings.SERVER_URL, "--server-url", server.serverUrl)
                .flag(AgentSettings.NODE_NAME, "--node-name", nodeName)
                .flag(AgentSettings.HEARTBEAT_INTERVAL, "--heartbeat-interval", heartbeatInterval)
                .flag(AgentSettings.AGENT_LISTEN_PORT, "--listen-port", listenPort)
                .flag(AgentSettings.AGENT_LISTEN_ADDRESS, "--listen-address", listenAddress)
                .flag(AgentSettings.DEBUG, "--debug", debug)
                .flag(AgentSettings.NODE_LABELS, "--label", labels == null ? null : String.join(",", labels))
                .flag(AgentSettings.SYSTEM_RESERVED, "--system-reserved", systemReserved)
                .flag(AgentSettings.MEMORY_PRESSURE_THRESHOLD, "--memory-pressure-threshold", memoryPressure)
                .flag(AgentSettings.DISK_PRESSURE_THRESHOLD, "--disk-pressure-threshold", diskPressure)
                .flag(AgentSettings.DISK_PATH, "--disk-path", diskPath)
                .flag(AgentSettings.NODE_IP, "--node-ip", nodeIp)
                .flag(ProjectSettings.RUNTIME, "--runtime", runtime)
                .flag(ProjectSettings.DOCKER_SOCKET, "--docker-socket", dockerSocket)
                .flag(ProjectSettings.RECONCILE_INTERVAL, "--reconcile-interval", reconcileInterval)
                .flag(ProjectSettings.SIMULATED_STATE, "--simulated-state", simulatedState)
                .flag(AgentCredentials.TOKEN_FILE, "--token-file", tokenFile)
                .flag(AgentCredentials.CREDENTIAL_FILE, "--credential-file", credentialFile)
                .flag(AgentCredentials.CERTIFICATE_AUTHORITY, "--certificate-authority", certificateAuthority)
                .flag(AgentCredentials.INSECURE_SKIP_TLS_VERIFY, "--insecure-skip-tls-verify", insecureSkipTlsVerify)
                .flag(AgentCredentials.CLIENT_CERTIFICATE, "--client-certificate", clientCertificate)
                .flag(AgentCredentials.CLIENT_KEY, "--client-key", clientKey)
                .build();
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
