package dev.cara.store.mapdb;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reopening a store of 100,000 heartbeating nodes must be fast (issue 3: with JSON records the open
 * spent 9.8 s of CPU decoding; with the binary records it takes about a second, and the issue asked
 * for under 5 s). A bound in seconds measures the machine as much as the store (on a CI runner a few
 * times slower, or shared, it fails with nothing wrong), so the test compares with work done on the
 * same machine, in the same JVM, just before:
 * <ul>
 *   <li>the open (including the first list) costs at most {@value #OPEN_OVER_ONE_PASS} times the CPU of
 *       reading and decoding each record once, which any open must do: no extra pass, nothing
 *       quadratic, no work per node beyond a constant.</li>
 *   <li>It also prints how fast a record decodes against the same node from JSON, the format it
 *       replaced (CPU time of the test's own thread, after a warm-up pass), without asserting it.</li>
 * </ul>
 * The absolute figures are printed. The file is filled through MapDB in one commit (100,000
 * acknowledged registrations would take minutes of fsyncs), in the layout {@link MapDbFiles} writes.
 */
class MapDbReopenIT {
    private static final int NODES = 100_000;
    /** Nodes decoded from each format to compare their speed. */
    private static final int SAMPLE = 5_000;
    /** Seen here: 1.1-1.7, the higher with the test's JVM squeezed onto one busy core. */
    private static final int OPEN_OVER_ONE_PASS = 4;
    /**
     * Seen here: 15-23 (a node from its record in 1.0-1.5 us, from JSON in 21-26 us); since JSON
     * timestamps are read by a scan rather than a DateTimeFormatter, 5-14 (record 1.4-2.0 us, JSON
     * 9.5-23 us). The bound only guards against the records losing their edge: the figures are printed.
     */

    @TempDir
    Path dir;

    @Test
    void aStoreOf100000NodesReopensAtTheCostOfReadingEachRecordOnce() throws Exception {
        Path file = dir.resolve("cara.db");
        MapDbStore.builder().path(file).shutdownHook(false).open().close();
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        long filling = System.nanoTime();
        try (DB db = mapDb(file)) {
            HTreeMap<String, byte[]> nodes = db.hashMap(MapDbFiles.Entry.NODES.key, Serializer.STRING, Serializer.BYTE_ARRAY).open();
            for (int i = 0; i < NODES; i++) {
                Node n = realistic(name(i), i + 1, now);
                nodes.put(n.name(), NodeRecords.write(n));
            }
            db.atomicLong(MapDbFiles.Entry.CEILING.key).open().set(NODES);
            db.commit();
        }
        long bytes = Files.size(file);
        System.out.printf("filling the file took %d ms%n", (System.nanoTime() - filling) / 1_000_000);

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        // One pass over the file, as the test's own loop: the work every open must do at least.
        List<byte[]> sample = new ArrayList<>(SAMPLE);
        long passCpuBefore = os.getProcessCpuTime();
        int read = 0;
        try (DB db = mapDb(file)) {
            HTreeMap<String, byte[]> nodes = db.hashMap(MapDbFiles.Entry.NODES.key, Serializer.STRING, Serializer.BYTE_ARRAY).open();
            Map<String, Quantity> quantities = NodeRecords.quantityCache();
            for (Map.Entry<String, byte[]> e : nodes.entrySet()) {
                read += NodeRecords.read(e.getValue(), quantities).name().equals(e.getKey()) ? 1 : 0;
                if (sample.size() < SAMPLE) {
                    sample.add(e.getValue());
                }
            }
        }
        long onePassCpu = (os.getProcessCpuTime() - passCpuBefore) / 1_000_000;
        assertEquals(NODES, read);

        long started = System.nanoTime();
        long cpuBefore = os.getProcessCpuTime();
        int listed;
        try (MapDbStore store = MapDbStore.builder().path(file).shutdownHook(false).open()) {
            listed = store.list().nodes().size();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long openCpu = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;

        // The formats side by side, on the same nodes, on this thread only.
        List<String> json = new ArrayList<>(SAMPLE);
        for (byte[] record : sample) {
            json.add(CaraJson.toJson(NodeRecords.read(record, NodeRecords.quantityCache())));
        }
        long binaryNanos = decodeCpuNanos(threads, () -> {
            Map<String, Quantity> quantities = NodeRecords.quantityCache();
            sample.forEach(r -> NodeRecords.read(r, quantities));
        });
        long jsonNanos = decodeCpuNanos(threads, () -> json.forEach(CaraJson::parseNode));

        System.out.printf("reopen of %,d nodes (%,d bytes of file) took %d ms and %d ms of CPU (load average %.1f); "
                        + "one pass of reading and decoding them took %d ms of CPU; a node decodes in %.1f us from its "
                        + "record, %.1f us from JSON%n",
                NODES, bytes, took.toMillis(), openCpu, os.getSystemLoadAverage(), onePassCpu,
                binaryNanos / 1e3 / SAMPLE, jsonNanos / 1e3 / SAMPLE);
        assertEquals(NODES, listed);
        assertTrue(openCpu <= OPEN_OVER_ONE_PASS * Math.max(onePassCpu, 1), "the open of " + NODES + " nodes used "
                + openCpu + " ms of CPU, more than " + OPEN_OVER_ONE_PASS + " times the " + onePassCpu
                + " ms that reading and decoding each record once took");
        // The record-against-JSON figures above are printed, not asserted: a speed ratio is a benchmark's
        // to judge (two builds sharing the 2 cores once made it 2.0x instead of the 5-14x seen alone).
    }

    /**
     * The least CPU time of this thread over five runs after a warm-up run. The least, because on a
     * shared virtual machine the time a vCPU waits for the host can be charged to the thread that was
     * running (a record once took 5.7 us instead of 1-1.5): no run is faster than the work needs.
     */
    private static long decodeCpuNanos(ThreadMXBean threads, Runnable decodeSample) {
        decodeSample.run();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            long before = threads.getCurrentThreadCpuTime();
            decodeSample.run();
            least = Math.min(least, threads.getCurrentThreadCpuTime() - before);
        }
        return least;
    }

    private static DB mapDb(Path file) {
        return org.mapdb.DBMaker.fileDB(file.toFile()).transactionEnable().fileMmapEnableIfSupported().make();
    }

    private static String name(int i) {
        return String.format("worker-%06d", i);
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
