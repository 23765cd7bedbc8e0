package dev.cara.agent;

import dev.cara.sdk.Durations;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a simulator run achieved.
 *
 * @param nodes               hollow agents
 * @param interval            their heartbeat interval
 * @param duration            how long the run was asked to last
 * @param elapsed             how long it lasted
 * @param registered          registrations that created a node
 * @param alreadyRegistered   registrations that found the node already there (a re-run)
 * @param registrationSeconds from the start until the last node was registered, or NaN when some never were
 * @param nodesReporting      hollow agents with at least one accepted heartbeat
 * @param heartbeats          heartbeats accepted
 * @param steadyHeartbeatsPerSecond accepted heartbeats per second over the steady state (from one interval after
 *                            every agent had started and registered), or NaN when the run was too short to tell
 * @param heartbeatP50Nanos   heartbeat latency, median
 * @param heartbeatP99Nanos   heartbeat latency, 99th percentile
 * @param heartbeatMaxNanos   heartbeat latency, maximum
 * @param registerP99Nanos    registration latency, 99th percentile
 * @param server              what the steady state cost the server, when its usage could be read
 * @param errors              failed calls by kind
 * @param projectReports      project status reports the server took, by phase (Running, Terminated, ...)
 */
public record SimulationSummary(int nodes, Duration interval, Duration duration, Duration elapsed, long registered,
                                long alreadyRegistered, double registrationSeconds, int nodesReporting, long heartbeats,
                                double steadyHeartbeatsPerSecond, long heartbeatP50Nanos, long heartbeatP99Nanos,
                                long heartbeatMaxNanos, long registerP99Nanos, ServerCost server, Map<String, Long> errors,
                                Map<String, Long> projectReports) {

    public SimulationSummary {
        java.util.Objects.requireNonNull(server, "server (ServerCost.UNMEASURED when not measured)");
        errors = Map.copyOf(errors);
        projectReports = Map.copyOf(projectReports);
    }

    /**
     * The server's CPU time and heartbeats handled over the steady state, and its resident memory at the end.
     *
     * @param source     where the figures were read ({@code /proc/PID}, the metrics URL), empty when unmeasured
     * @param cpuSeconds server process CPU (user + system) over the steady state
     * @param heartbeats heartbeats the server accepted over the same span
     * @param rssBytes   the server's resident set at the end of the run
     */
    public record ServerCost(String source, double cpuSeconds, long heartbeats, long rssBytes) {
        public static final ServerCost UNMEASURED = new ServerCost("", Double.NaN, 0, 0);

        public ServerCost {
            java.util.Objects.requireNonNull(source, "source");
        }

        public boolean measured() {
            return !source.isEmpty();
        }

        /** Server CPU microseconds per heartbeat, NaN when unmeasured or no heartbeat came. */
        public double cpuMicrosPerHeartbeat() {
            return measured() && heartbeats > 0 ? cpuSeconds * 1e6 / heartbeats : Double.NaN;
        }

        public double rssMebibytes() {
            return rssBytes / 1048576.0;
        }
    }

    /** The rate the fleet should produce: one heartbeat per node per interval. */
    public double expectedHeartbeatsPerSecond() {
        return nodes / (interval.toNanos() / 1e9);
    }

    public double heartbeatsPerSecond() {
        return heartbeats / (elapsed.toNanos() / 1e9);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%n== simulation summary ==%n");
        out.printf(Locale.ROOT, "nodes:               %,d (%,d registered, %,d already registered, %,d heartbeating)%n",
                nodes, registered, alreadyRegistered, nodesReporting);
        out.printf(Locale.ROOT, "run:                 %s at a %s interval (asked for %s)%n",
                Durations.format(elapsed.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), Durations.format(interval),
                Durations.format(duration));
        out.printf(Locale.ROOT, "registration:        %s%n", Double.isNaN(registrationSeconds) ? "not all nodes registered"
                : String.format(Locale.ROOT, "all %,d nodes in %.1f s", nodes, registrationSeconds));
        out.printf(Locale.ROOT, "heartbeats:          %,d accepted%n", heartbeats);
        out.printf(Locale.ROOT, "heartbeats/s:        %.1f over the run, %s in steady state (expected %.1f)%n",
                heartbeatsPerSecond(),
                Double.isNaN(steadyHeartbeatsPerSecond) ? "n/a" : String.format(Locale.ROOT, "%.1f", steadyHeartbeatsPerSecond),
                expectedHeartbeatsPerSecond());
        out.printf(Locale.ROOT, "heartbeat latency:   p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                heartbeatP50Nanos / 1e6, heartbeatP99Nanos / 1e6, heartbeatMaxNanos / 1e6);
        out.printf(Locale.ROOT, "register latency:    p99 %.2f ms%n", registerP99Nanos / 1e6);
        if (server.measured()) {
            out.printf(Locale.ROOT, "server CPU:          %.1f us per heartbeat (%.2f s over %,d steady-state heartbeats, from %s)%n",
                    server.cpuMicrosPerHeartbeat(), server.cpuSeconds(), server.heartbeats(), server.source());
            out.printf(Locale.ROOT, "server RSS:          %.0f MiB%n", server.rssMebibytes());
        } else {
            out.printf(Locale.ROOT, "server CPU:          not measured (give --server-pid or --server-metrics, and a run past the steady-state start)%n");
        }
        out.printf(Locale.ROOT, "project reports:     %s%n", projectReports.isEmpty() ? "none (no project was bound to a hollow agent)"
                : String.join(", ", new java.util.TreeMap<>(projectReports).entrySet().stream()
                        .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue())).toList()));
        if (errors.isEmpty()) {
            out.printf(Locale.ROOT, "errors:              none%n");
        } else {
            out.printf(Locale.ROOT, "errors:              %,d%n", errorCount());
            new java.util.TreeMap<>(errors).forEach((kind, n) -> out.printf(Locale.ROOT, "  %-40s %,d%n", kind, n));
        }
    }

    public JsonObject toJson() {
        JsonObjectBuilder errs = Json.createObjectBuilder();
        new java.util.TreeMap<>(errors).forEach(errs::add);
        JsonObjectBuilder reports = Json.createObjectBuilder();
        new java.util.TreeMap<>(projectReports).forEach(reports::add);
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("nodes", nodes)
                .add("interval", Durations.format(interval))
                .add("duration", Durations.format(duration))
                .add("elapsedSeconds", elapsed.toNanos() / 1e9)
                .add("registered", registered)
                .add("alreadyRegistered", alreadyRegistered)
                .add("nodesReporting", nodesReporting)
                .add("heartbeats", heartbeats)
                .add("heartbeatsPerSecond", heartbeatsPerSecond())
                .add("expectedHeartbeatsPerSecond", expectedHeartbeatsPerSecond())
                .add("heartbeatLatencyMs", Json.createObjectBuilder()
                        .add("p50", heartbeatP50Nanos / 1e6)
                        .add("p99", heartbeatP99Nanos / 1e6)
                        .add("max", heartbeatMaxNanos / 1e6))
                .add("registerLatencyP99Ms", registerP99Nanos / 1e6)
                .add("errorCount", errorCount())
                .add("errors", errs)
                .add("projectReports", reports);
        number(b, "steadyHeartbeatsPerSecond", steadyHeartbeatsPerSecond);
        number(b, "registrationSeconds", registrationSeconds);
        if (server.measured()) {
            b.add("server", Json.createObjectBuilder()
                    .add("source", server.source())
                    .add("cpuSeconds", server.cpuSeconds())
                    .add("heartbeats", server.heartbeats())
                    .add("cpuMicrosPerHeartbeat", server.cpuMicrosPerHeartbeat())
                    .add("rssBytes", server.rssBytes()));
        }
        return b.build();
    }

    /** JSON has no NaN: an unknown figure is null. */
    private static void number(JsonObjectBuilder b, String key, double value) {
        if (Double.isNaN(value)) {
            b.addNull(key);
        } else {
            b.add(key, value);
        }
    }
}
