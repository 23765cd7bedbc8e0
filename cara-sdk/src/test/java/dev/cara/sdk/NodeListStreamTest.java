package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
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

    /** Node-list-like JSON documents from a seeded Random: the shapes the reader knows, right and wrong. */
    private static final class Docs {
        private static final List<String> STRINGS = List.of("\"Ready\"", "\"NotReady\"", "\"Draining\"", "\"\"", "\"x\"",
                "\"worker-1\"", "\"Bad_Name\"", "\"10.0.0.7\"", "\"Direct\"", "\"DERP\"", "\"True\"", "\"False\"", "\"Unknown\"",
                "\"MemoryPressure\"", "\"2026-01-02T15:04:05Z\"", "\"now\"", "\"8Gi\"", "\"4000m\"", "\"4 Gi\"", "\"caravanserai/v1\"",
                "\"Node\"", "\"caf\\u00e9\"", "\"a\\nb\"", "\"7\"");
        private static final List<String> NUMBERS = List.of("0", "1", "-1", "80", "9090", "65535", "65536", "80.5", "1e0", "1E+2",
                "1e30", "99999999999999999999999", "1e999999999", "0.5", "-0", "4");
        private static final List<String> LITERALS = List.of("true", "false", "null");
        private final Random r;

        Docs(Random r) {
            this.r = r;
        }

        String list() {
            return object(List.of("apiVersion", "kind", "items", "metadata"), 4, key -> switch (key) {
                case "items" -> maybe(this::items);
                default -> scalar();
            });
        }

        private String items() {
            List<String> nodes = new ArrayList<>();
            for (int n = r.nextInt(4); n > 0; n--) {
                nodes.add(r.nextInt(10) == 0 ? scalar() : node());
            }
            return "[" + String.join(",", nodes) + "]";
        }

        private String node() {
            return object(List.of("apiVersion", "kind", "metadata", "metadata", "spec", "status", "extra"), 6, key -> switch (key) {
                case "metadata" -> maybe(() -> object(List.of("name", "name", "labels", "annotations", "createdAt", "updatedAt",
                        "resourceVersion", "uid"), 6, k -> k.equals("labels") || k.equals("annotations")
                        ? maybe(() -> object(List.of("a", "b", "zone"), 3, x -> scalar())) : scalar()));
                case "spec" -> maybe(() -> object(List.of("hostname", "unschedulable", "taints"), 3, k -> scalar()));
                case "status" -> maybe(this::status);
                case "extra" -> any(3);
                default -> scalar();
            });
        }

        private String status() {
            return object(List.of("state", "network", "capacity", "allocatable", "info", "conditions", "lastHeartbeat", "x"), 7,
                    key -> switch (key) {
                        case "network" -> maybe(() -> object(List.of("ip", "dnsName", "mode", "agentPort", "mtu"), 5, k -> scalar()));
                        case "info" -> maybe(() -> object(List.of("kernelVersion", "osImage", "agentVersion", "arch"), 4, k -> scalar()));
                        case "capacity", "allocatable" -> maybe(() -> object(List.of("cpu", "memory", "pods"), 4, k -> scalar()));
                        case "conditions" -> maybe(this::conditions);
                        default -> scalar();
                    });
        }

        private String conditions() {
            List<String> out = new ArrayList<>();
            for (int n = r.nextInt(4); n > 0; n--) {
                out.add(r.nextInt(8) == 0 ? scalar() : object(List.of("type", "status", "reason", "message",
                        "lastHeartbeatTime", "lastTransitionTime", "severity"), 6, k -> scalar()));
            }
            return "[" + String.join(",", out) + "]";
        }

        /** Usually what the supplier makes, sometimes any other value. */
        private String maybe(Supplier<String> usual) {
            return r.nextInt(6) == 0 ? any(2) : usual.get();
        }

        private String object(List<String> keys, int maxEntries, Function<String, String> value) {
            StringBuilder sb = new StringBuilder("{");
            int n = r.nextInt(maxEntries + 1);
            for (int i = 0; i < n; i++) {
                String key = keys.get(r.nextInt(keys.size()));
                sb.append(i > 0 ? ", " : "").append('"').append(key).append("\": ").append(value.apply(key));
            }
            return sb.append('}').toString();
        }

        private String scalar() {
            return switch (r.nextInt(10)) {
                case 0, 1 -> NUMBERS.get(r.nextInt(NUMBERS.size()));
                case 2 -> LITERALS.get(r.nextInt(LITERALS.size()));
                case 3 -> any(1);
                default -> STRINGS.get(r.nextInt(STRINGS.size()));
            };
        }

        private String any(int depth) {
            if (depth == 0 || r.nextBoolean()) {
                return r.nextBoolean() ? STRINGS.get(r.nextInt(STRINGS.size())) : NUMBERS.get(r.nextInt(NUMBERS.size()));
            }
            if (r.nextBoolean()) {
                return object(List.of("a", "b", "name"), 3, k -> any(depth - 1));
            }
            List<String> out = new ArrayList<>();
            for (int n = r.nextInt(3); n > 0; n--) {
                out.add(any(depth - 1));
            }
            return "[" + String.join(",", out) + "]";
        }
    }
}
