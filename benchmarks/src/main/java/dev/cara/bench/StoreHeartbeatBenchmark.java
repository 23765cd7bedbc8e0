package dev.cara.bench;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.store.mapdb.MapDbStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Heartbeats applied per second through {@link ControlPlane#heartbeat}, on the MapDB store and on the
 * in-memory store in the same run ({@code store} parameter): divide the two scores for the cost of
 * durability. The MapDB store runs with its defaults (status writes committed every 100 ms by its
 * committer thread, in a temporary file), so the figure includes the commits that run meanwhile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreHeartbeatBenchmark {
    @Param({"memory", "mapdb"})
    public String store;

    // Fewer nodes than HeartbeatBenchmark: each MapDB registration is a synced commit, and setting up
    // 10,000 of them takes minutes on a busy machine. A heartbeat's cost hardly depends on the count.
    @Param({"2000"})
    public int nodes;

    ControlPlane controlPlane;
    NodeStore nodeStore;
    Path directory;
    String[] names;
    HeartbeatReport report;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (store.equals("mapdb")) {
            directory = Files.createTempDirectory("cara-bench-mapdb");
            nodeStore = MapDbStore.builder().path(directory.resolve("cara.db")).shutdownHook(false).open();
        } else {
            nodeStore = MemoryStore.create();
        }
        controlPlane = ControlPlane.builder().store(nodeStore).heartbeatTimeout(Duration.ofSeconds(90))
                .manualTicks(true).build().start();
        names = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = String.format("worker-%06d", i);
            controlPlane.register(Node.builder(names[i]).hostname(names[i] + ".lan").label("zone", "z" + (i % 4)).build());
        }
        report = HeartbeatBenchmark.realisticReport();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        controlPlane.close();
        nodeStore.close();
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Node heartbeat(Cursor cursor) {
        int i = cursor.next++;
        if (cursor.next == nodes) {
            cursor.next = 0;
        }
        return controlPlane.heartbeat(names[i], report);
    }
}
