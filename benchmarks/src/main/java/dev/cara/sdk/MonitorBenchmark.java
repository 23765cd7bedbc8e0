package dev.cara.sdk;

// In the SDK's package: the monitor is package-private (it is the control plane's, not API), and this
// benchmark measures it directly. The benchmarks jar runs on the class path, where that is allowed.

import dev.cara.bench.StandardRun;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat monitor with 100,000 tracked nodes: the cost of recording one heartbeat, and the cost
 * of one tick. A tick here is realistic: time advances by one tick interval (250 ms) between ticks
 * and every node heartbeats every 30 s, so each tick re-queues the ~1/120 of the fleet whose old
 * deadline came due and finds no timeout. Time is a fake ticker, advanced by the benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MonitorBenchmark extends StandardRun {
    @Param({"100000"})
    public int nodes;

    private static final long TICK_NANOS = Duration.ofMillis(250).toNanos();
    private static final long INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

    long now;
    HeartbeatMonitor monitor;
    String[] names;
    int nextBeat;
    Instant wall = Instant.parse("2026-01-01T00:00:00Z");

    @Setup(Level.Iteration)
    public void setUp() {
        now = 0;
        monitor = new HeartbeatMonitor(() -> now, Duration.ofSeconds(90));
        names = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = "worker-" + i;
            monitor.track(names[i], true, wall);
        }
    }

    @Benchmark
    public void heartbeat() {
        int i = nextBeat++;
        if (nextBeat == nodes) {
            nextBeat = 0;
        }
        monitor.heartbeat(names[i], wall);
    }

    /** One tick: advance 250 ms, heartbeat the nodes due in that window (as a fleet would), expire. */
    @Benchmark
    public List<String> tick() {
        now += TICK_NANOS;
        int due = (int) ((long) nodes * TICK_NANOS / INTERVAL_NANOS);
        for (int k = 0; k < due; k++) {
            int i = nextBeat++;
            if (nextBeat == nodes) {
                nextBeat = 0;
            }
            monitor.heartbeat(names[i], wall);
        }
        return monitor.expire();
    }
}
