package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The streaming heartbeat reader against the tree reader it replaced on the hot path: for every
 * body, the same report or the same error (message, field and value). Bodies come from a grammar of
 * heartbeat-like documents (right and wrong types, duplicate keys, nulls, unknown fields, nesting)
 * and from valid bodies broken by the fuzz test's mutations. QuickTheories prints the failing body.
 */
class HeartbeatStreamTest {
    private static final int TRIES = 3000;

    static String outcome(Supplier<HeartbeatReport> read) {
        try {
            return "report " + read.get();
        } catch (InvalidException e) {
            return "invalid " + e.getMessage() + " | field " + e.field() + " | value " + e.value();
        }
    }

    static String streamed(byte[] body) {
        return outcome(() -> JsonText.STANDARD.heartbeat(body));
    }

    static String fromTree(byte[] body) {
        return outcome(() -> JsonText.isBlank(body) ? HeartbeatReport.EMPTY : WireReader.heartbeat(JsonText.STANDARD.object(body)));
    }

    @Test
    void theStreamingReaderAgreesWithTheTreeReaderOnHeartbeatLikeBodies() {
        Gen<String> docs = longs().all().map(seed -> new Docs(new Random(seed)).heartbeat());
        qt().withExamples(TRIES).forAll(docs).check(doc -> {
            byte[] body = doc.getBytes(StandardCharsets.UTF_8);
            return streamed(body).equals(fromTree(body));
        });
    }

    @Test
    void theStreamingReaderAgreesWithTheTreeReaderOnBrokenBodies() {
        qt().withExamples(TRIES).forAll(JsonReadersFuzzTest.brokenValidBodies())
                .check(body -> streamed(body.bytes()).equals(fromTree(body.bytes())));
    }

    @Test
    void aLaterDuplicateReplacesAnEarlierOneEvenIfThatWasInvalid() {
        assertEquals(NodeState.READY, CaraJson.parseHeartbeat("{\"state\": 5, \"state\": \"Ready\"}").state());
        assertEquals(new NetworkStatus("10.0.0.1", null, null, 80), CaraJson.parseHeartbeat(
                "{\"network\": \"x\", \"network\": {\"agentPort\": 0, \"ip\": \"10.0.0.1\", \"agentPort\": 80}}").network());
        assertEquals(ResourceList.parse(java.util.Map.of("cpu", "2")), CaraJson.parseHeartbeat(
                "{\"capacity\": {\"cpu\": \"lots\", \"cpu\": \"2\"}}").capacity());
        assertEquals(null, CaraJson.parseHeartbeat("{\"conditions\": [5], \"conditions\": null}").conditions());
    }

    @Test
    void errorsComeInTheTreeReadersOrderNotTheBodys() {
        // state is checked before capacity, whatever order the body gives them in.
        assertEquals("state: \"nope\" is invalid: must be one of Ready, NotReady, Draining",
                assertInvalid("{\"capacity\": {\"cpu\": \"lots\"}, \"state\": \"nope\"}"));
        // A network that is not an object is reported before any condition; a bad field inside one, after them.
        assertEquals("network: 5 is invalid: must be an object", assertInvalid("{\"conditions\": 1, \"network\": 5}"));
        assertEquals("conditions: 1 is invalid: must be an array",
                assertInvalid("{\"network\": {\"mode\": \"x\"}, \"conditions\": 1}"));
    }

    private static String assertInvalid(String body) {
        return org.junit.jupiter.api.Assertions.assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(body)).getMessage();
    }

    /**
     * Heartbeat-like JSON documents from a seeded Random: the shapes the reader knows, right and wrong.
     * NodeListStreamTest builds node lists from the same pieces.
     */
    static final class Docs {
        private static final List<String> STRINGS = List.of("\"Ready\"", "\"NotReady\"", "\"Draining\"", "\"ready\"", "\"\"", "\"x\"",
                "\"10.0.0.7\"", "\"Direct\"", "\"DERP\"", "\"True\"", "\"False\"", "\"Unknown\"", "\"true\"", "\"MemoryPressure\"",
                "\"DiskPressure\"", "\"2026-01-02T15:04:05Z\"", "\"now\"", "\"8Gi\"", "\"4000m\"", "\"4 Gi\"", "\"1e999999999\"",
                "\"caf\\u00e9\"", "\"a\\nb\"");
        private static final List<String> NUMBERS = List.of("0", "1", "-1", "80", "9090", "65535", "65536", "80.5", "1e0", "1E+2",
                "1e30", "99999999999999999999999", "1e999999999", "0.5", "-0", "4");
        private static final List<String> LITERALS = List.of("true", "false", "null");
        private final Random r;

        Docs(Random r) {
            this.r = r;
        }

        String heartbeat() {
            return object(List.of("state", "network", "capacity", "allocatable", "info", "conditions", "uptime"), 7, key -> switch (key) {
                case "network" -> maybe(() -> object(List.of("ip", "dnsName", "mode", "agentPort", "mtu"), 5, k -> scalar()));
                case "info" -> maybe(() -> object(List.of("kernelVersion", "osImage", "agentVersion", "arch"), 4, k -> scalar()));
                case "capacity", "allocatable" -> maybe(() -> object(List.of("cpu", "memory", "pods"), 4, k -> scalar()));
                case "conditions" -> maybe(this::conditions);
                case "uptime" -> any(3);
                default -> scalar();
            });
        }

        String conditions() {
            StringBuilder sb = new StringBuilder("[");
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," : "").append(r.nextInt(8) == 0 ? scalar() : object(List.of("type", "status", "reason",
                        "message", "lastHeartbeatTime", "lastTransitionTime", "severity"), 6, k -> scalar()));
            }
            return sb.append(']').toString();
        }

        /** Usually what the supplier makes, sometimes any other value. */
        String maybe(Supplier<String> usual) {
            return r.nextInt(5) == 0 ? any(2) : usual.get();
        }

        String object(List<String> keys, int maxEntries, java.util.function.Function<String, String> value) {
            StringBuilder sb = new StringBuilder("{");
            int n = r.nextInt(maxEntries + 1);
            for (int i = 0; i < n; i++) {
                String key = keys.get(r.nextInt(keys.size()));
                sb.append(i > 0 ? ", " : "").append('"').append(key).append("\": ").append(value.apply(key));
            }
            return sb.append('}').toString();
        }

        String scalar() {
            return switch (r.nextInt(10)) {
                case 0, 1 -> NUMBERS.get(r.nextInt(NUMBERS.size()));
                case 2 -> LITERALS.get(r.nextInt(LITERALS.size()));
                case 3 -> any(1);
                default -> STRINGS.get(r.nextInt(STRINGS.size()));
            };
        }

        String any(int depth) {
            if (depth == 0 || r.nextBoolean()) {
                return r.nextBoolean() ? STRINGS.get(r.nextInt(STRINGS.size())) : NUMBERS.get(r.nextInt(NUMBERS.size()));
            }
            if (r.nextBoolean()) {
                return object(List.of("a", "b", "state"), 3, k -> any(depth - 1));
            }
            StringBuilder sb = new StringBuilder("[");
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," : "").append(any(depth - 1));
            }
            return sb.append(']').toString();
        }
    }
}
