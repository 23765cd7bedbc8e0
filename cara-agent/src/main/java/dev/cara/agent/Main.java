package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(names = {"--server-url", "--server"}, paramLabel = "URL",
            description = "The control plane (SERVER_URL; default http://localhost:8080).")
    String serverUrl;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name (NODE_NAME; default: the host name, lower-cased and made valid).")
    String nodeName;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION",
            description = "Time between heartbeats, jittered by ±10% (HEARTBEAT_INTERVAL; default 30s).")
    String heartbeatInterval;

    @Option(names = "--listen-port", paramLabel = "PORT",
            description = "Port of the agent's /healthz and /info (AGENT_LISTEN_PORT; default 9090).")
    String listenPort;

    @Option(names = "--listen-address", paramLabel = "ADDRESS",
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
            description = "MemoryPressure when less memory than this is available, as 5% or 500Mi"
                    + " (MEMORY_PRESSURE_THRESHOLD; default 5%).")
    String memoryPressure;

    @Option(names = "--disk-pressure-threshold", paramLabel = "AMOUNT",
            description = "DiskPressure when less disk than this is available, as 10% or 5Gi"
                    + " (DISK_PRESSURE_THRESHOLD; default 10%).")
    String diskPressure;

    @Option(names = "--disk-path", paramLabel = "PATH",
            description = "A path on the file system reported as ephemeral-storage (DISK_PATH; default /).")
    String diskPath;

    @Option(names = "--node-ip", paramLabel = "IP",
            description = "The IP to report (NODE_IP; default: the local address of the route to the server).")
    String nodeIp;

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
        AgentSettings settings = AgentSettings.from(SettingsLayers.load(Path.of(""), System.getenv(), flags())::get,
                OshiHostProbe::osHostname);
        AgentLogging.configure(settings.debug());
        CaraClient client = httpClient(settings.serverUrl());
        CaraAgent agent = CaraAgent.start(settings,
                client, new OshiHostProbe(settings.diskPath(), settings.serverUrl(), settings.nodeIp()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.flush();
            }
            // A stop on SIGTERM is the planned way to end: exit 0, not the JVM's 143, so that
            // systemd and supervisors do not record a failure.
            Runtime.getRuntime().halt(0);
        }, "cara-agent-shutdown"));
        running = true;
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, AgentSettings.SERVER_URL, serverUrl);
        put(f, AgentSettings.NODE_NAME, nodeName);
        put(f, AgentSettings.HEARTBEAT_INTERVAL, heartbeatInterval);
        put(f, AgentSettings.AGENT_LISTEN_PORT, listenPort);
        put(f, AgentSettings.AGENT_LISTEN_ADDRESS, listenAddress);
        put(f, AgentSettings.DEBUG, debug);
        put(f, AgentSettings.NODE_LABELS, labels == null ? null : String.join(",", labels));
        put(f, AgentSettings.SYSTEM_RESERVED, systemReserved);
        put(f, AgentSettings.MEMORY_PRESSURE_THRESHOLD, memoryPressure);
        put(f, AgentSettings.DISK_PRESSURE_THRESHOLD, diskPressure);
        put(f, AgentSettings.DISK_PATH, diskPath);
        put(f, AgentSettings.NODE_IP, nodeIp);
        return f;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    /** The HTTP transport from the SDK. */
    static CaraClient httpClient(URI serverUrl) {
        throw new AgentException("the HTTP client is not on this branch yet: merge main");
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
