package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The streaming node-list reader against the tree reader: {@link CaraJson#parseNodeList} gives, for
 * every document, the list or the error (message, field and value) that the tree reader gives. The
 * documents come from a grammar of node-list-like JSON (right and wrong types, duplicate keys,
 * nulls, unknown fields) and from valid bodies broken by the fuzz test's mutations; QuickTheories
 * prints a failing one.
 */
class NodeListStreamTest {
    private static final int TRIES = 3000;

    private static String outcome(Supplier<NodeList> read) {
        try {
            return "list " + read.get();
        } catch (InvalidException e) {
            return "invalid " + e.getMessage() + " | field " + e.field() + " | value " + e.value();
        }
    }

    private static boolean agree(String text) {
        return outcome(() -> CaraJson.parseNodeList(text))
                .equals(outcome(() -> WireReader.nodeList(JsonText.STANDARD.object(text))));
    }

    @Test
    void theStreamingReaderTakesAServersListItself() {
        Node ready = Node.builder("worker-01").label("zone", "eu-1").annotation("rack", "4").hostname("worker-01.lan").build()
                .withStatus(NodeStatus.INITIAL);
        NodeList sent = NodeList.of(List.of(ready, Node.builder("worker-02").build()));
        String text = CaraJson.toJson(sent);
        NodeList read = NodeListStream.read(JsonText.STANDARD, text);
        assertNotNull(read, text);
        assertEquals(WireReader.nodeList(JsonText.STANDARD.object(text)), read);
        assertEquals(WireReader.nodeList(JsonText.STANDARD.object(NODE_LIST)), NodeListStream.read(JsonText.STANDARD, NODE_LIST));
    }

    @Test
    void anUnusualDocumentIsLeftToTheTreeReader() {
        // A later duplicate replaces an earlier one in the tree: the tree reader reads it.
        String duplicate = "{\"items\":[{\"metadata\":{\"name\":\"a\",\"name\":\"b\"}}]}";
        assertNull(NodeListStream.read(JsonText.STANDARD, duplicate));
        assertEquals("b", CaraJson.parseNodeList(duplicate).items().get(0).name());
        assertNull(NodeListStream.read(JsonText.STANDARD, "{\"items\":[{\"metadata\":{\"name\":5}}]}"));
        assertNull(NodeListStream.read(JsonText.STANDARD, "{\"items\":[]} x"));
    }

    @Test
    void theStreamingReaderAgreesWithTheTreeReaderOnNodeListLikeDocuments() {
        Gen<String> docs = longs().all().map(seed -> new Docs(new Random(seed)).list());
        qt().withExamples(TRIES).forAll(docs).check(NodeListStreamTest::agree);
    }

    @Test
    void theStreamingReaderAgreesWithTheTreeReaderOnBrokenBodies() {
        qt().withExamples(TRIES).forAll(JsonReadersFuzzTest.brokenValidBodies())
                .check(body -> agree(new String(body.bytes(), StandardCharsets.UTF_8)));
        qt().withExamples(TRIES).forAll(longs().all().map(seed -> mutated(new Random(seed))))
                .check(NodeListStreamTest::agree);
    }

    /** A valid list with a few characters of it replaced, removed or repeated. */
    private static String mutated(Random r) {
        StringBuilder sb = new StringBuilder(NODE_LIST);
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.setCharAt(at, "{}[]\",:0 ".charAt(r.nextInt(9)));
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(8)));
                default -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + 1 + r.nextInt(20))));
            }
        }
        return sb.toString();
    }

    static final String NODE_LIST = """
            {"apiVersion":"caravanserai/v1","kind":"NodeList","items":[
             {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"worker-01","labels":{"env":"prod"},
              "annotations":{},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","resourceVersion":"1"},
              "spec":{"hostname":"worker-01","unschedulable":false},
              "status":{"state":"Ready","network":{"ip":"10.0.0.1","dnsName":"w1.lan","mode":"Direct","agentPort":9090},
               "capacity":{"cpu":"4","memory":"8Gi","pods":110},"allocatable":{"cpu":"3800m","memory":"7Gi"},
               "info":{"kernelVersion":"6.1","osImage":"Debian","agentVersion":"0.1.0"},
               "lastHeartbeat":"2026-01-01T00:00:00Z",
               "conditions":[{"type":"Ready","status":"True","reason":"AgentHeartbeating","message":"ok",
                 "lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"},
                {"type":"MemoryPressure","status":"False","lastTransitionTime":"2026-01-01T00:00:00Z"}]}},
             {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"worker-02","resourceVersion":2},
              "spec":{"unschedulable":true},"extra":[1,{"a":null}],
              "status":{"state":"Draining","conditions":[{"type":"Unschedulable","status":"True",
               "lastTransitionTime":"2026-01-01T00:00:00Z"}]}}]}
            """;

    /**
     * Node-list-like JSON documents from a seeded Random: the shapes the reader knows, right and
     * wrong, from the pieces of the heartbeat reader's test (its values, conditions and nesting).
     */
    private static final class Docs {
        private final Random r;
        private final HeartbeatStreamTest.Docs d;

        Docs(Random r) {
            this.r = r;
            this.d = new HeartbeatStreamTest.Docs(r);
        }

        String list() {
            return d.object(List.of("apiVersion", "kind", "items", "metadata"), 4,
                    key -> key.equals("items") ? d.maybe(this::items) : d.scalar());
        }

        private String items() {
            List<String> nodes = new ArrayList<>();
            for (int n = r.nextInt(4); n > 0; n--) {
                nodes.add(r.nextInt(10) == 0 ? d.scalar() : node());
            }
            return "[" + String.join(",", nodes) + "]";
        }

        private String node() {
            return d.object(List.of("apiVersion", "kind", "metadata", "metadata", "spec", "status", "extra"), 6, key -> switch (key) {
                case "metadata" -> d.maybe(() -> d.object(List.of("name", "name", "labels", "annotations", "createdAt", "updatedAt",
                        "resourceVersion", "uid"), 6, k -> k.equals("labels") || k.equals("annotations")
                        ? d.maybe(() -> d.object(List.of("a", "b", "zone"), 3, x -> d.scalar())) : d.scalar()));
                case "spec" -> d.maybe(() -> d.object(List.of("hostname", "unschedulable", "taints"), 3, k -> d.scalar()));
                case "status" -> d.maybe(this::status);
                case "extra" -> d.any(3);
                default -> d.scalar();
            });
        }

        private String status() {
            return d.object(List.of("state", "network", "capacity", "allocatable", "info", "conditions", "lastHeartbeat", "x"), 7,
                    key -> switch (key) {
                        case "network" -> d.maybe(() -> d.object(List.of("ip", "dnsName", "mode", "agentPort", "mtu"), 5, k -> d.scalar()));
                        case "info" -> d.maybe(() -> d.object(List.of("kernelVersion", "osImage", "agentVersion", "arch"), 4, k -> d.scalar()));
                        case "capacity", "allocatable" -> d.maybe(() -> d.object(List.of("cpu", "memory", "pods"), 4, k -> d.scalar()));
                        case "conditions" -> d.maybe(d::conditions);
                        default -> d.scalar();
                    });
        }
    }
}
