package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code cara-agent simulate}: a fleet of hollow agents in this JVM, and the figures they achieved. */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
                "Runs many hollow agents in one JVM against a control plane and measures it:",
                "progress while it runs, then heartbeats/s, latency p50/p99/max, errors by kind, the time it took",
                "to register every node and, with --server-pid or --server-metrics, the server's CPU time per",
                "heartbeat over the steady state and its resident memory."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--nodes", required = true, paramLabel = "N", description = "How many hollow agents.")
    int nodes;

    @Option(names = "--interval", defaultValue = "30s", paramLabel = "DURATION",
            description = "Heartbeat interval of each hollow agent (default ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--duration", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long to run (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--steady", paramLabel = "DURATION",
            description = "End the run once the steady state (from one interval after every node registered) has lasted"
                    + " this long, or at --duration, whichever comes first.")
    String steady;

    @Option(names = "--ramp", paramLabel = "DURATION",
            description = "Spread the hollow agents' starts over this (default: the interval); 0s starts them all at once.")
    String ramp;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process id on this machine: its CPU time and RSS are read from /proc/PID.")
    Long serverPid;

    @Option(names = "--server-metrics",
            description = "Read the server's CPU time and RSS from its /observe/metrics instead (process_cpu_seconds_total,"
                    + " process_resident_memory_bytes).")
    boolean serverMetrics;

    @picocli.CommandLine.Mixin
    ServerOption server = new ServerOption();

    @Option(names = "--prefix", defaultValue = "sim", paramLabel = "PREFIX",
            description = "Hollow agents are named PREFIX-00000, PREFIX-00001, ... (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seeds start offsets and machine shapes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--progress", defaultValue = "10s", paramLabel = "DURATION",
            description = "How often to print progress (default ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--max-in-flight", defaultValue = "256", paramLabel = "N",
            description = "Calls in flight at once; more wait on our side, and the wait counts in the latency"
                    + " (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--request-timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "How long one call may take before it counts as an error (default ${DEFAULT-VALUE}).")
    String requestTimeout;

    @Option(names = "--reconcile-interval", defaultValue = "10s", paramLabel = "DURATION",
            description = "How often a hollow agent with projects reconciles them besides on every project event"
                    + " (default ${DEFAULT-VALUE}).")
    String reconcileInterval;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        AgentLogging.configure(false);
        AgentLogging.quiet();
        if (serverPid != null && serverMetrics) {
            throw new AgentException("give --server-pid or --server-metrics, not both");
        }
        var serverUrl = AgentSettings.parseServerUrl(server.orEnvironment());
        try (CaraClient client = Main.httpClient(serverUrl, Durations.parsePositive("--request-timeout", requestTimeout))) {
            FleetSimulator.Builder simulator = FleetSimulator.builder();
            if (serverPid != null) {
                simulator.serverUsage(ServerUsage.ofPid(serverPid));
            } else if (serverMetrics) {
                simulator.serverUsage(ServerUsage.ofMetrics(serverUrl));
            }
            if (ramp != null) {
                simulator.ramp(Durations.parse("--ramp", ramp));
            }
            if (steady != null) {
                simulator.steadyFor(Durations.parsePositive("--steady", steady));
            }
            SimulationSummary summary = simulator
                    .client(client)
                    .nodes(nodes)
                    .interval(Durations.parsePositive("--interval", interval))
                    .duration(Durations.parsePositive("--duration", duration))
                    .progressEvery(Durations.parsePositive("--progress", progress))
                    .prefix(prefix)
                    .seed(seed)
                    .maxInFlight(maxInFlight)
                    .reconcileInterval(Durations.parsePositive("--reconcile-interval", reconcileInterval))
                    .build()
                    .run();
            summary.print(System.out);
            if (reportJson != null) {
                try {
                    Files.writeString(reportJson, summary.toJson().toString() + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new AgentException("cannot write the report to " + reportJson + ": " + e.getMessage(), e);
                }
            }
            return 0;
        }
    }
}
