package dev.cara.bench;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats applied per second through {@link ControlPlane#heartbeat} on the in-memory store: the
 * SDK's hot path (merge the report, evaluate the state rule, one atomic status write, monitor update).
 * Each call heartbeats the next node of the fleet with a realistic report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeartbeatBenchmark {
    @Param({"10000"})
    public int nodes;

    ControlPlane controlPlane;
    NodeStore store;
    String[] names;
    HeartbeatReport report;

    @Setup(Level.Trial)
    public void setUp() {
        store = MemoryStore.create();
        controlPlane = ControlPlane.builder().store(store).heartbeatTimeout(Duration.ofSeconds(90))
                .manualTicks(true).build().start();
        names = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = String.format("worker-%06d", i);
            controlPlane.register(Node.builder(names[i]).hostname(names[i] + ".lan").label("zone", "z" + (i % 4)).build());
        }
        report = realisticReport();
    }

    static HeartbeatReport realisticReport() {
        ResourceList capacity = ResourceList.parse(Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "200Gi"));
        ResourceList allocatable = ResourceList.parse(Map.of("cpu", "7500m", "memory", "31Gi", "ephemeral-storage", "190Gi"));
        return new HeartbeatReport(null, new NetworkStatus("10.0.0.7", null, NetworkMode.DIRECT, 9090),
                capacity, allocatable, new NodeInfo("6.1.0-18-amd64", "Debian GNU/Linux 12", "0.1.0"), List.of());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        controlPlane.close();
        store.close();
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
