package dev.cara.agent;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Names;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.internal.Settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything the agent is told by its user, validated. Built from named settings (the layered
 * sources: {@code config.yaml}, {@code .env}, the environment, flags) by {@link #from}.
 *
 * @param serverUrl         the control plane, for example {@code http://localhost:8080}
 * @param nodeName          this machine's node name, a DNS subdomain
 * @param hostname          the OS host name as it is, for {@code spec.hostname}
 * @param heartbeatInterval the nominal time between heartbeats (each one is jittered by ±10%)
 * @param listenAddress     where the health endpoint listens
 * @param listenPort        the health endpoint's port, also reported as {@code network.agentPort}
 * @param debug             log every heartbeat and retry
 * @param labels            the node's labels at registration
 * @param systemReserved    subtracted from capacity to give allocatable
 * @param memoryPressure    when memory counts as under pressure
 * @param diskPressure      when the disk at {@code diskPath} counts as under pressure
 * @param diskPath          the file system whose size is {@code ephemeral-storage}
 * @param nodeIp            the IP to report, or empty to use the address that reaches the server
 * @param projects          how the node's projects are run (runtime, Docker socket, reconcile interval)
 */
public record AgentSettings(URI serverUrl, String nodeName, String hostname, Duration heartbeatInterval,
                            String listenAddress, int listenPort, boolean debug, Map<String, String> labels,
                            ResourceList systemReserved, PressureThreshold memoryPressure,
                            PressureThreshold diskPressure, Path diskPath, Optional<String> nodeIp,
                            ProjectSettings projects) {

    public static final String SERVER_URL = "SERVER_URL";
    public static final String NODE_NAME = "NODE_NAME";
    public static final String HEARTBEAT_INTERVAL = "HEARTBEAT_INTERVAL";
    public static final String AGENT_LISTEN_ADDRESS = "AGENT_LISTEN_ADDRESS";
    public static final String AGENT_LISTEN_PORT = "AGENT_LISTEN_PORT";
    public static final String DEBUG = "DEBUG";
    public static final String NODE_LABELS = "NODE_LABELS";
    public static final String SYSTEM_RESERVED = "SYSTEM_RESERVED";
    public static final String MEMORY_PRESSURE_THRESHOLD = "MEMORY_PRESSURE_THRESHOLD";
    public static final String DISK_PRESSURE_THRESHOLD = "DISK_PRESSURE_THRESHOLD";
    public static final String DISK_PATH = "DISK_PATH";
    public static final String NODE_IP = "NODE_IP";

    /** Every setting the agent reads, with its default ("" when there is none), for help texts. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(SERVER_URL, "http://localhost:8080");
        d.put(NODE_NAME, "");
        d.put(HEARTBEAT_INTERVAL, "30s");
        d.put(AGENT_LISTEN_ADDRESS, "0.0.0.0");
        d.put(AGENT_LISTEN_PORT, "9090");
        d.put(DEBUG, "false");
        d.put(NODE_LABELS, "");
        // A small, fixed slice for the OS and the agent itself, like the kubelet's --system-reserved.
        d.put(SYSTEM_RESERVED, "cpu=100m,memory=256Mi,ephemeral-storage=1Gi");
        // The kubelet's defaults are memory.available<100Mi and nodefs.available<10%; a share scales
        // better across machine sizes for memory too.
        d.put(MEMORY_PRESSURE_THRESHOLD, "5%");
        d.put(DISK_PRESSURE_THRESHOLD, "10%");
        d.put(DISK_PATH, "/");
        d.put(NODE_IP, "");
        d.put(ProjectSettings.RUNTIME, ProjectSettings.DOCKER);
        d.put(ProjectSettings.DOCKER_SOCKET, DockerRuntime.DEFAULT_SOCKET);
        d.put(ProjectSettings.RECONCILE_INTERVAL, "10s");
        d.put(ProjectSettings.SIMULATED_STATE, "");
        return java.util.Collections.unmodifiableMap(d);
    }

    public AgentSettings {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Names.requireNodeName(NODE_NAME, nodeName);
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(listenAddress, "listenAddress");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(systemReserved, "systemReserved");
        Objects.requireNonNull(memoryPressure, "memoryPressure");
        Objects.requireNonNull(diskPressure, "diskPressure");
        Objects.requireNonNull(diskPath, "diskPath");
        Objects.requireNonNull(nodeIp, "nodeIp");
        Objects.requireNonNull(projects, "projects");
    }

    /**
     * How long the agent's HTTP client should keep an idle connection open: past the longest gap
     * between two heartbeats (the interval plus {@link Jitter}'s spread) with 10 s to spare, so that each
     * heartbeat goes out on the connection the last one used. The JDK client closes a connection idle
     * for 30 s by default, shorter than the default interval's longest gap (33 s), so about half of all
     * heartbeats paid for a new connection, and a TLS handshake with it. Never below that default.
     */
    public Duration connectionKeepAlive() {
        Duration longestGap = Jitter.around(heartbeatInterval, 1.0); // the top of Jitter's spread
        Duration wanted = longestGap.plusSeconds(10);
        Duration jdkDefault = Duration.ofSeconds(30);
        return wanted.compareTo(jdkDefault) > 0 ? wanted : jdkDefault;
    }

    /**
     * Reads and checks every setting.
     *
     * @param settings   the layered settings ({@code config.yaml}, {@code .env}, environment, flags)
     * @param osHostname the machine's host name
     * @throws InvalidException naming the setting, where it came from, its value and what it must be
     * @throws AgentException   when NODE_NAME is unset and the host name cannot be made into a name
     */
    public static AgentSettings from(Settings settings, Supplier<String> osHostname) {
        URI server = settings.url(SERVER_URL, URI.create(DEFAULTS.get(SERVER_URL)));
        String hostname = osHostname.get();
        String name = settings.string(NODE_NAME).filter(v -> !v.isEmpty()).orElse(null);
        if (name == null) {
            name = Names.sanitizeNodeName(hostname).orElseThrow(() -> new AgentException(
                    "cannot make a node name from this machine's host name " + (hostname == null ? "(none)" : "\"" + hostname + "\"")
                            + ": set NODE_NAME (or --node-name) to " + Names.DNS_SUBDOMAIN_RULE));
        } else if (!Names.isValidNodeName(name)) {
            throw settings.invalid(NODE_NAME, Names.DNS_SUBDOMAIN_RULE);
        }
        Duration interval = settings.duration(HEARTBEAT_INTERVAL, Duration.ofSeconds(30));
        int port = settings.port(AGENT_LISTEN_PORT, 9090, true);
        boolean debug = settings.bool(DEBUG, false);
        Function<String, String> text = key -> settings.string(key).orElse(DEFAULTS.get(key));
        Function<String, String> where = key -> settings.origin(key).orElse(key);
        Map<String, String> labels = parseLabels(where.apply(NODE_LABELS), text.apply(NODE_LABELS));
        ResourceList reserved = parseResources(where.apply(SYSTEM_RESERVED), text.apply(SYSTEM_RESERVED));
        PressureThreshold memory = PressureThreshold.parse(where.apply(MEMORY_PRESSURE_THRESHOLD), text.apply(MEMORY_PRESSURE_THRESHOLD));
        PressureThreshold disk = PressureThreshold.parse(where.apply(DISK_PRESSURE_THRESHOLD), text.apply(DISK_PRESSURE_THRESHOLD));
        String diskPath = text.apply(DISK_PATH);
        if (diskPath.isEmpty()) {
            throw settings.invalid(DISK_PATH, "a path on the file system to report as ephemeral-storage, such as /");
        }
        String listenAddress = text.apply(AGENT_LISTEN_ADDRESS);
        String ip = text.apply(NODE_IP);
        return new AgentSettings(server, name, hostname, interval, listenAddress.isEmpty() ? "0.0.0.0" : listenAddress,
                port, debug, labels, reserved, memory, disk, Path.of(diskPath), ip.isEmpty() ? Optional.empty() : Optional.of(ip),
                ProjectSettings.from(settings));
    }

    static URI parseServerUrl(String text) {
        String rule = "an http or https URL such as http://localhost:8080";
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidException(SERVER_URL, text, rule);
    }

    /** {@code zone=a,tier=gpu}: comma-separated key=value pairs, each checked like a label. */
    static Map<String, String> parseLabels(String key, String text) {
        Map<String, String> labels = new TreeMap<>();
        splitPairs(key, text, "comma-separated key=value pairs such as zone=eu-1,tier=gpu").forEach((k, v) -> {
            Names.requireLabelKey(key, k);
            labels.put(k, Names.requireLabelValue(key + "." + k, v));
        });
        return labels;
    }

    /** {@code cpu=100m,memory=256Mi}: each amount is a Kubernetes quantity. */
    static ResourceList parseResources(String key, String text) {
        Map<String, Quantity> amounts = new TreeMap<>();
        splitPairs(key, text, "comma-separated resource=amount pairs such as cpu=100m,memory=256Mi").forEach((k, v) -> {
            Quantity q;
            try {
                q = Quantity.parse(v);
            } catch (InvalidException e) {
                throw new InvalidException(key + "." + k, v, "a quantity such as 100m, 2, 256Mi or 1Gi");
            }
            if (q.isNegative()) {
                throw new InvalidException(key + "." + k, v, "zero or more");
            }
            amounts.put(k, q);
        });
        return ResourceList.of(amounts);
    }

    private static Map<String, String> splitPairs(String key, String text, String rule) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (text.isBlank()) {
            return pairs;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new InvalidException(key, text, rule);
            }
            pairs.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return pairs;
    }
}
