package dev.cara.bench;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.Node;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Heartbeats applied per second through {@link ControlPlane#heartbeat} on the in-memory store: the
 * SDK's hot path (merge the report, evaluate the state rule, one atomic status write, monitor update).
 * Each call heartbeats the next node of the fleet with a realistic report.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeartbeatBenchmark extends StandardRun {
    @Param({"10000"})
    public int nodes;

    NodeStore store;
    HeartbeatFleet fleet;

    @Setup(Level.Trial)
    public void setUp() {
        store = MemoryStore.create();
        fleet = new HeartbeatFleet(store, nodes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fleet.close();
        store.close();
    }

    @Benchmark
    public Node heartbeat(HeartbeatFleet.Cursor cursor) {
        return fleet.heartbeat(cursor);
    }
}
