package dev.cara.store.jdbc;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.UnavailableException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batcher without a database: a fake writer plays the table (rows by name, with revisions), so
 * coalescing, replay on a row that moved on, and keeping a failed batch can be checked exactly.
 */
class HeartbeatBatcherTest {
    /** The "table": what the writer stored, and every batch it was handed. */
    private final Map<String, StoredRow> table = new HashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private long revision = 10;
    private boolean down;
    /** Runs inside the writer before it writes: a flush held mid-way, on the flushing thread. */
    private Runnable duringWrite = () -> { };
    /** Batches the writer fails with an unexpected error: the next {@code failures} of them, and any holding {@code poison}. */
    private int failures;
    private String poison;

    private final HeartbeatBatcher batcher = new HeartbeatBatcher(batch -> {
        if (down) {
            throw new UnavailableException("database down");
        }
        if (failures > 0 || batch.stream().anyMatch(e -> e.getKey().equals(poison))) {
            failures--;
            throw new IllegalStateException("unexpected failure");
        }
        batchSizes.add(batch.size());
        duringWrite.run();
        Map<String, StoredRow> written = new HashMap<>();
        for (Map.Entry<String, HeartbeatBatcher.Pending> e : batch) {
            StoredRow row = table.get(e.getKey());
            HeartbeatBatcher.Pending p = e.getValue();
            // What JdbcStore does: the precomputed result if the row is the one it was computed on, else replay.
            Node result = row.revision() == p.baseRevision() ? p.result() : HeartbeatBatcher.replay(p.steps(), row.node());
            StoredRow stored = new StoredRow(result, ++revision);
            table.put(e.getKey(), stored);
            written.put(e.getKey(), stored);
        }
        return written;
    });

    private static final Function<Node, NodeStatus> COUNT = n -> {
        String k = n.status().info().kernelVersion();
        return new NodeStatus(n.state(), null, null, null, new NodeInfo(k == null ? "1" : Integer.toString(Integer.parseInt(k) + 1),
                null, null), null, null, null);
    };

    private StoredRow put(String name) {
        StoredRow row = new StoredRow(Node.builder(name).build(), ++revision);
        table.put(name, row);
        return row;
    }

    private String count(String name) {
        return table.get(name).node().status().info().kernelVersion();
    }

    @Test
    void heartbeatsInOneWindowAreCoalescedIntoOneWriteAndAcknowledgedAtOnce() {
        put("a");
        put("b");
        for (int i = 0; i < 5; i++) {
            Node acked = batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
            assertEquals(Integer.toString(i + 1), acked.status().info().kernelVersion());
        }
        batcher.enqueue("b", COUNT, 0, () -> table.get("b"));
        assertEquals(2, batcher.pendingCount());
        batcher.flush();
        assertEquals(List.of(2), batchSizes, "one batch, one write per node");
        assertEquals("5", count("a"));
        assertEquals("1", count("b"));
        assertEquals(0, batcher.pendingCount());
    }

    @Test
    void aRowWrittenElsewhereMeanwhileGetsTheStepsReplayedOnTop() {
        put("a");
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        // Another replica writes the row (count 40) before our flush.
        StoredRow other = new StoredRow(table.get("a").node().withStatus(COUNT.apply(table.get("a").node()))
                .withStatus(new NodeStatus(NodeStatus.INITIAL.state(), null, null, null, new NodeInfo("40", null, null),
                        null, null, null)), ++revision);
        table.put("a", other);
        batcher.flush();
        assertEquals("42", count("a"), "both of our increments applied on top of the other replica's write");
    }

    @Test
    void aMutationReturningTheCurrentStatusQueuesNothing() {
        StoredRow row = put("a");
        Node same = batcher.enqueue("a", Node::status, 0, () -> table.get("a"));
        assertSame(row.node(), same);
        assertEquals(0, batcher.pendingCount());
    }

    @Test
    void aFailedFlushKeepsTheBatchAndRefusesNewHeartbeatsUntilTheDatabaseIsBack() {
        put("a");
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        down = true;
        assertThrows(UnavailableException.class, batcher::flush);
        assertTrue(batcher.lastFailure().isPresent());
        assertThrows(UnavailableException.class, () -> batcher.enqueue("a", COUNT, 0, () -> table.get("a")),
                "acknowledging into a queue that cannot drain would hide the outage");
        down = false;
        batcher.flush();
        assertTrue(batcher.lastFailure().isEmpty());
        assertEquals("1", count("a"), "the heartbeat acknowledged before the outage was written after it");
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        batcher.flush();
        assertEquals("2", count("a"));
    }

    @Test
    void pendingStatusIsVisibleToThisReplicaBeforeTheFlush() {
        put("a");
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        assertEquals("1", batcher.pendingNode("a").orElseThrow().status().info().kernelVersion());
        assertEquals(null, count("a"));
    }
    /**
     * Defect: a flush removed the pending entries before the database write landed, so a read in
     * that window saw an older status than one already acknowledged, and a heartbeat arriving then
     * was applied to that older status.
     */
    @Test
    void aReadWhileAFlushIsWritingSeesTheAcknowledgedHeartbeat() {
        put("a");
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        List<String> seenMidFlush = new ArrayList<>();
        duringWrite = () -> {
            duringWrite = () -> { };
            seenMidFlush.add(batcher.pendingNode("a").map(n -> n.status().info().kernelVersion()).orElse("nothing pending"));
            seenMidFlush.add(batcher.enqueue("a", COUNT, 0, () -> table.get("a")).status().info().kernelVersion());
        };
        batcher.flush();
        assertEquals(List.of("1", "2"), seenMidFlush, "mid-flush: the acknowledged status, and the next heartbeat built on it");
        assertEquals("1", count("a"));
        assertEquals("2", batcher.pendingNode("a").orElseThrow().status().info().kernelVersion(), "the newer heartbeat stays pending");
        batcher.flush();
        assertEquals("2", count("a"), "each heartbeat applied once");
        assertEquals(0, batcher.pendingCount());
    }

    /** Defect: a flush that failed with anything but an outage dropped the whole batch, after agents got 204. */
    @Test
    void acknowledgedHeartbeatsAreNotDroppedWhenAFlushFailsUnexpectedly() {
        put("a");
        put("b");
        batcher.enqueue("a", COUNT, 0, () -> table.get("a"));
        batcher.enqueue("b", COUNT, 0, () -> table.get("b"));
        failures = 1;
        batcher.flush();
        assertEquals("1", count("a"));
        assertEquals("1", count("b"));
        assertEquals(0, batcher.dropped());
        assertEquals(0, batcher.pendingCount());
    }

    @Test
    void aHeartbeatThatCannotBeWrittenEvenAloneIsDroppedAloneAndCounted() {
        for (String name : List.of("a", "b", "c", "d")) {
            put(name);
            batcher.enqueue(name, COUNT, 0, () -> table.get(name));
        }
        poison = "c";
        batcher.flush();
        assertEquals(List.of("1", "1", "1"), List.of(count("a"), count("b"), count("d")));
        assertEquals(null, count("c"));
        assertEquals(1, batcher.dropped(), "counted");
        assertEquals(0, batcher.pendingCount());
    }
}
