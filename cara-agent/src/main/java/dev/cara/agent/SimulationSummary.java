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
 * @param nodesReporting      hollow agents with at least one accepted heartbeat
 * @param heartbeats          heartbeats accepted
 * @param steadyHeartbeatsPerSecond accepted heartbeats per second after the first interval (every agent
 *                            started by then), or NaN when the run was too short to tell
 * @param heartbeatP50Nanos   heartbeat latency, median
 * @param heartbeatP99Nanos   heartbeat latency, 99th percentile
 * @param heartbeatMaxNanos   heartbeat latency, maximum
 * @param registerP99Nanos    registration latency, 99th percentile
 * @param errors              failed calls by kind
 */
public record SimulationSummary(int nodes, Duration interval, Duration duration, Duration elapsed, long registered,
                                long alreadyRegistered, int nodesReporting, long heartbeats,
                                double steadyHeartbeatsPerSecond, long heartbeatP50Nanos, long heartbeatP99Nanos,
                                long heartbeatMaxNanos, long registerP99Nanos, Map<String, Long> errors) {

    public SimulationSummary {
        errors = Map.copyOf(errors);
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
        out.printf(Locale.ROOT, "heartbeats:          %,d accepted%n", heartbeats);
        out.printf(Locale.ROOT, "heartbeats/s:        %.1f over the run, %s in steady state (expected %.1f)%n",
                heartbeatsPerSecond(),
                Double.isNaN(steadyHeartbeatsPerSecond) ? "n/a" : String.format(Locale.ROOT, "%.1f", steadyHeartbeatsPerSecond),
                expectedHeartbeatsPerSecond());
        out.printf(Locale.ROOT, "heartbeat latency:   p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                heartbeatP50Nanos / 1e6, heartbeatP99Nanos / 1e6, heartbeatMaxNanos / 1e6);
        out.printf(Locale.ROOT, "register latency:    p99 %.2f ms%n", registerP99Nanos / 1e6);
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
                .add("errors", errs);
        if (Double.isNaN(steadyHeartbeatsPerSecond)) {
            b.addNull("steadyHeartbeatsPerSecond");
        } else {
            b.add("steadyHeartbeatsPerSecond", steadyHeartbeatsPerSecond);
        }
        return b.build();
    }
}
