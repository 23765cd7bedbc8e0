package dev.cara.store.mapdb;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.ResourceList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reopening a store of 100,000 heartbeating nodes must take under 5 s (issue 3). The file is filled
 * through MapDB in one commit (100,000 acknowledged registrations would take minutes of fsyncs), in the
 * layout {@link MapDbFiles} writes; the timed part is the store's own open, including the first list.
 */
class MapDbReopenIT {
    private static final int NODES = 100_000;

    @TempDir
    Path dir;

    @Test
    void aStoreOf100000NodesReopensInUnderFiveSeconds() throws Exception {
        Path file = dir.resolve("cara.db");
        MapDbStore.builder().path(file).shutdownHook(false).open().close();
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        long filling = System.nanoTime();
        try (DB db = org.mapdb.DBMaker.fileDB(file.toFile()).transactionEnable().fileMmapEnableIfSupported().make()) {
            HTreeMap<String, byte[]> nodes = db.hashMap(MapDbFiles.NODES, Serializer.STRING, Serializer.BYTE_ARRAY).open();
            for (int i = 0; i < NODES; i++) {
                Node n = realistic(String.format("worker-%06d", i), i + 1, now);
                nodes.put(n.name(), NodeRecords.write(n));
            }
            db.atomicLong(MapDbFiles.CEILING).open().set(NODES);
            db.commit();
        }
        long bytes = Files.size(file);
        System.out.printf("filling the file took %d ms%n", (System.nanoTime() - filling) / 1_000_000);

        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        int listed;
        try (MapDbStore store = MapDbStore.builder().path(file).shutdownHook(false).open()) {
            listed = store.list().nodes().size();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long cpu = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
        // The CPU time tells a slow machine from a slow store when other builds share the cores.
        System.out.printf("reopen of %,d nodes (%,d bytes of file) took %d ms (%d ms of CPU, load average %.1f)%n",
                NODES, bytes, took.toMillis(), cpu, os.getSystemLoadAverage());
        assertEquals(NODES, listed);
        if (os.getSystemLoadAverage() < os.getAvailableProcessors()) {
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "reopening " + NODES + " nodes took " + took);
        } else {
            // Other builds share the cores, so wall time says more about them than about the store; the
            // CPU the reopen used is the figure that does not depend on them.
            assertTrue(cpu < 5_000, "reopening " + NODES + " nodes used " + cpu + " ms of CPU");
        }
    }

    private static Node realistic(String name, long version, Instant now) {
        Node manifest = Node.builder(name).hostname(name + ".lan").label("zone", "z" + (name.hashCode() & 3))
                .label("tier", "web").annotation("owner", "team-a").build();
        NodeStatus status = new NodeStatus(NodeState.READY, new NetworkStatus("10.0.0.7", name + ".fleet", NetworkMode.DIRECT, 9090),
                ResourceList.parse(Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "200Gi")),
                ResourceList.parse(Map.of("cpu", "7500m", "memory", "31Gi", "ephemeral-storage", "190Gi")),
                new NodeInfo("6.1.0-18-amd64", "Debian GNU/Linux 12", "0.1.0"), now,
                List.of(new Condition("Ready", ConditionStatus.TRUE, "HeartbeatReceived", "the agent is heartbeating", now, now),
                        new Condition("MemoryPressure", ConditionStatus.FALSE, "Enough", "", now, now)), null);
        return manifest.withMetadata(manifest.metadata().withTimes(now, now).withResourceVersion(Long.toString(version)))
                .withStatus(status);
    }
}
