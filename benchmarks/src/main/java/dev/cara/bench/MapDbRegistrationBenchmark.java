package dev.cara.bench;

import dev.cara.sdk.Node;
import dev.cara.store.mapdb.MapDbStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable registrations per second on the MapDB store ({@link MapDbStore#create}), from one thread and
 * from 32 threads at once. Each create is acknowledged only after its commit, so one thread measures
 * the cost of a commit, and 32 threads measure how well concurrent writers share commits.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class MapDbRegistrationBenchmark extends StandardRun {
    MapDbStore store;
    Path directory;
    final AtomicLong sequence = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("cara-bench-mapdb-reg");
        store = MapDbStore.builder().path(directory.resolve("cara.db")).shutdownHook(false).open();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        Bench.deleteTree(directory);
    }

    private Node register() {
        String name = String.format("worker-%08d", sequence.incrementAndGet());
        return store.create(Node.builder(name).hostname(name + ".lan").label("zone", "z" + (name.hashCode() & 3)).build());
    }

    @Benchmark
    @Threads(1)
    public Node oneThread() {
        return register();
    }

    @Benchmark
    @Threads(32)
    public Node threads32() {
        return register();
    }
}
