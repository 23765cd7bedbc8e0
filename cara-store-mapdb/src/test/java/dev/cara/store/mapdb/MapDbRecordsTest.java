package dev.cara.store.mapdb;

import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.Event;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NodeStorageCodec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.ResourceList;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/** The compact node record loses nothing: every field, null or not, reads back as written. */
class MapDbRecordsTest {

    private static void assertRoundTrip(Node node) {
        Node back = NodeRecords.read(NodeRecords.write(node), NodeRecords.quantityCache());
        assertEquals(node, back);
        // Quantity.equals compares values only; the storage JSON also shows each quantity's spelling.
        assertEquals(NodeStorageCodec.encode(node), NodeStorageCodec.encode(back));
    }

    @Test
    void aFreshRegistrationRoundTrips() {
        assertRoundTrip(Node.builder("web-1").build());
        assertRoundTrip(new Node(null, null, ObjectMeta.named("bare"), null, null));
    }

    @Test
    void aFullyReportedNodeRoundTrips() {
        Instant t = Instant.parse("2026-11-25T12:00:00.123456789Z");
        NodeStatus status = new NodeStatus(NodeState.DRAINING,
                new NetworkStatus("10.0.0.7", "w.fleet", NetworkMode.DERP, 9090),
                ResourceList.parse(Map.of("cpu", "4000m", "memory", "8Gi", "ephemeral-storage", "1.5G", "pods", "2e3")),
                ResourceList.parse(Map.of("cpu", "3500m", "memory", "7Gi")),
                new NodeInfo("6.1", "Debian 12", "0.1.0"), t,
                List.of(new Condition("Ready", ConditionStatus.UNKNOWN, "NoHeartbeat", "silent for 90 s", t, t.minusSeconds(5)),
                        Condition.of("DiskPressure", ConditionStatus.TRUE, null, null)),
                new AgentClaim(NodeState.NOT_READY, AgentClaim.AGENT_SHUTDOWN, "stopping"));
        Node node = new Node(Node.API_VERSION, Node.KIND,
                new ObjectMeta("worker-7.eu", Map.of("zone", "eu-1", "tier", "web"), Map.of("note", "ünïcødé ✓ " + "x".repeat(100_000)),
                        Instant.parse("1969-12-31T23:59:59.5Z"), t, "42"),
                new NodeSpec("worker-7.lan", true), status);
        assertRoundTrip(node);
    }

    /** Any text (strings are stored as UTF-8, so text means Unicode text: no lone surrogates). */
    @Test
    void anyTextAndInstantsRoundTrip() {
        qt().withExamples(300).forAll(strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 40), longs().between(-10_000_000_000L, 10_000_000_000L),
                integers().between(0, 999_999_999)).checkAssert((text, seconds, nanos) -> {
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            NodeStatus status = new NodeStatus(NodeState.READY, new NetworkStatus(text, null, null, 1 + nanos % 65535),
                    ResourceList.EMPTY, ResourceList.EMPTY, new NodeInfo(null, text, null), t,
                    List.of(new Condition("Custom", ConditionStatus.FALSE, text, text, null, t)), null);
            assertRoundTrip(new Node(Node.API_VERSION, Node.KIND,
                    new ObjectMeta("n", Map.of("k", text), Map.of(), t, null, text), new NodeSpec(text, false), status));
        });
    }

    /** A flush reuses one writer for thousands of records: each must come out as if written alone. */
    @Test
    void aReusedWriterWritesEachRecordAsAFreshOneWould() {
        Node big = Node.builder("big").hostname("big.lan").annotation("note", "x".repeat(5_000)).build();
        Node small = Node.builder("small").hostname("s.lan").label("k", "v").build();
        NodeRecords.Writer writer = new NodeRecords.Writer();
        for (Node n : List.of(small, big, small, big, small)) {
            byte[] reused = writer.record(n);
            assertArrayEquals(NodeRecords.write(n), reused);
            assertEquals(n, NodeRecords.read(reused, NodeRecords.quantityCache()));
        }
    }

    /** ASCII takes a fast path; everything else is the JDK's UTF-8, lone surrogates as '?' as before. */
    @Test
    void stringsAreStoredAsTheirUtf8Bytes() {
        for (String text : List.of("", "plain ascii \u007f", "é", "ünïcødé ✓ 🚀", "a\ud800b")) {
            byte[] record = NodeRecords.write(Node.builder("n").annotation("t", text).build());
            byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] expected = new byte[utf8.length + 1];
            // the varint length + 1 + the number of words, one byte for these short strings
            expected[0] = (byte) (utf8.length + 1 + RecordWords.size());
            System.arraycopy(utf8, 0, expected, 1, utf8.length);
            assertTrue(indexOf(record, expected) >= 0, "the record holds the UTF-8 of \"" + text + "\"");
        }
        Node lone = NodeRecords.read(NodeRecords.write(Node.builder("n").annotation("t", "a\ud800b").build()),
                NodeRecords.quantityCache());
        assertEquals("a?b", lone.metadata().annotations().get("t"));
    }

    /** The strings every node repeats are a byte each, and read back as one shared instance. */
    @Test
    void wordsAreStoredAsTheirCodeAndReadBackShared() {
        Node node = aHeartbeatingNode();
        byte[] record = NodeRecords.write(node);
        byte[] plain = new NodeRecords.Writer(NodeRecords.PLAIN_STRINGS).record(node);
        assertTrue(record.length < plain.length - 150, record.length + " bytes against " + plain.length + " without words");
        assertEquals(-1, indexOf(record, "MemoryPressure".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        Node one = NodeRecords.read(record, NodeRecords.quantityCache());
        Node two = NodeRecords.read(record, NodeRecords.quantityCache());
        assertEquals(node, one);
        assertSame(one.apiVersion(), two.apiVersion());
        assertSame(one.status().conditions().get(1).type(), two.status().conditions().get(1).type());
        assertSame(one.status().conditions().get(1).reason(), two.status().conditions().get(1).reason());
    }

    /** Files of earlier releases hold records without codes: they read as they always did. */
    @Test
    void recordsOfTheFirstVersionStillRead() {
        Node node = aHeartbeatingNode();
        byte[] plain = new NodeRecords.Writer(NodeRecords.PLAIN_STRINGS).record(node);
        assertEquals(NodeRecords.PLAIN_STRINGS, plain[0]);
        assertTrue(indexOf(plain, "MemoryPressure".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) >= 0);
        assertEquals(node, NodeRecords.read(plain, NodeRecords.quantityCache()));
        assertEquals(NodeStorageCodec.encode(node), NodeStorageCodec.encode(NodeRecords.read(plain, NodeRecords.quantityCache())));
        // Words and text mix: a string that is no word is its text in both versions.
        assertEquals(NodeRecords.RECORD_VERSION, NodeRecords.write(node)[0]);
    }

    /** Event records use the words too, and those of the first version, without them, still read. */
    @Test
    void eventRecordsOfBothVersionsRoundTrip() {
        Event event = Event.builder().normal().reason("Registered").node("w-9").at(Instant.parse("2026-12-06T12:00:00Z"))
                .message("node registered, NotReady until its first heartbeat").build().stored("w-9.1f", "31");
        byte[] record = EventRecords.write(EventRecords.writer(), event);
        assertEquals(EventRecords.RECORD_VERSION, record[0]);
        assertEquals(event, EventRecords.read(record));
        assertThrows(IllegalArgumentException.class, () -> EventRecords.write(new RecordWriter(), event),
                "a plain writer would write codeless strings under version 2");
        byte[] old = EventRecords.writeFirstVersion(event); // what an earlier release wrote
        assertEquals(EventRecords.PLAIN_STRINGS, old[0]);
        assertTrue(record.length < old.length - 50, record.length + " bytes against " + old.length + " without words");
        assertEquals(event, EventRecords.read(old));
    }

    private static Node aHeartbeatingNode() {
        Instant t = Instant.parse("2026-12-06T12:00:00Z");
        NodeStatus status = new NodeStatus(NodeState.READY, new NetworkStatus("10.0.0.9", null, null, 9090),
                ResourceList.parse(Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "200Gi")),
                ResourceList.parse(Map.of("cpu", "7900m", "memory", "31Gi", "ephemeral-storage", "199Gi")),
                new NodeInfo("6.8.0-49-generic", "Ubuntu 24.04.1 LTS (noble)", "0.1.0"), t,
                List.of(new Condition("Ready", ConditionStatus.TRUE, "AgentHeartbeating", "the agent is heartbeating", t, t),
                        new Condition("MemoryPressure", ConditionStatus.FALSE, "SufficientMemory",
                                "20.1Gi of 32.0Gi memory available (pressure below 5%)", t, t),
                        new Condition("Custom", ConditionStatus.UNKNOWN, "cpu", "", t, null)),
                new AgentClaim(NodeState.READY, null, null));
        return new Node(Node.API_VERSION, Node.KIND, new ObjectMeta("w-9", Map.of("zone", "eu-1"), Map.of(), t, t, "17"),
                new NodeSpec("w-9.lan", false), status);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aCutOrForeignRecordIsRefusedNotMisread() {
        byte[] whole = NodeRecords.write(Node.builder("web-1").hostname("web-1.lan").label("a", "b").build());
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThrows(RuntimeException.class, () -> NodeRecords.read(cut, NodeRecords.quantityCache()),
                    "a record cut to " + cut.length + " bytes");
        }
        byte[] newer = whole.clone();
        newer[0] = (byte) (NodeRecords.RECORD_VERSION + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeRecords.read(newer, NodeRecords.quantityCache()));
        assertEquals("unknown node record version " + (NodeRecords.RECORD_VERSION + 1), e.getMessage());
    }
}
