package dev.cara.bench;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.Node;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.store.mapdb.MapDbStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats applied per second through {@link ControlPlane#heartbeat}, on the MapDB store and on the
 * in-memory store in the same run ({@code store} parameter): divide the two scores for the cost of
 * durability. The MapDB store runs with its defaults (status writes committed every 100 ms by its
 * committer thread, in a temporary file), so the figure includes the commits that run meanwhile.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreHeartbeatBenchmark extends StandardRun {
    @Param({"memory", "mapdb"})
    public String store;

    // Fewer nodes than HeartbeatBenchmark: each MapDB registration is a synced commit, and setting up
    // 10,000 of them takes minutes on a busy machine. A heartbeat's cost hardly depends on the count.
    @Param({"2000"})
    public int nodes;

    NodeStore nodeStore;
    Path directory;
    HeartbeatFleet fleet;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (store.equals("mapdb")) {
            directory = Files.createTempDirectory("cara-bench-mapdb");
            nodeStore = MapDbStore.builder().path(directory.resolve("cara.db")).shutdownHook(false).open();
        } else {
            nodeStore = MemoryStore.create();
        }
        fleet = new HeartbeatFleet(nodeStore, nodes);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        fleet.close();
        nodeStore.close();
        if (directory != null) {
            Bench.deleteTree(directory);
        }
    }

    @Benchmark
    public Node heartbeat(HeartbeatFleet.Cursor cursor) {
        return fleet.heartbeat(cursor);
    }
}
