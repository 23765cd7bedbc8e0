package dev.cara.sdk;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caravanserai/v1 wire format, checked on literal JSON documents. */
class CaraJsonTest {

    /** A full node, written in the order and the canonical forms that {@link CaraJson#toJson(Node)} uses. */
    static final String FULL_NODE = """
            {
              "apiVersion": "caravanserai/v1",
              "kind": "Node",
              "metadata": {
                "name": "worker-01",
                "labels": {"cara.dev/zone": "eu-1", "tier": "gpu"},
                "annotations": {"note": "rack 4, slot 2"},
                "createdAt": "2026-01-02T15:04:05Z",
                "updatedAt": "2026-01-02T15:05:00.250Z",
                "resourceVersion": "7"
              },
              "spec": {"hostname": "worker-01.example.com", "unschedulable": true},
              "status": {
                "state": "Draining",
                "network": {"ip": "100.64.0.7", "dnsName": "worker-01.cara.internal", "mode": "DERP", "agentPort": 9090},
                "capacity": {"cpu": "4", "ephemeral-storage": "100G", "memory": "8Gi"},
                "allocatable": {"cpu": "3800m", "memory": "7680Mi"},
                "info": {"kernelVersion": "6.8.0-45-generic", "osImage": "Ubuntu 24.04.1 LTS", "agentVersion": "0.1.0"},
                "lastHeartbeat": "2026-01-02T15:06:00Z",
                "conditions": [
                  {"type": "Ready", "status": "False", "reason": "Draining", "message": "spec.unschedulable is true",
                   "lastHeartbeatTime": "2026-01-02T15:06:00Z", "lastTransitionTime": "2026-01-02T15:05:00Z"},
                  {"type": "Unschedulable", "status": "True", "lastTransitionTime": "2026-01-02T15:05:00Z"},
                  {"type": "MemoryPressure", "status": "Unknown"}
                ]
              }
            }
            """;

    static String minify(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue().toString();
        }
    }

    static JsonObject tree(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    static InvalidException invalidNode(String json) {
        return assertThrows(InvalidException.class, () -> CaraJson.parseNode(json));
    }

    static void assertMentions(InvalidException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
        }
    }

    @Nested
    class RoundTrips {
        @Test
        void aFullNodeReadsIntoTheModelAndWritesBackByteForByte() {
            Node node = CaraJson.parseNode(FULL_NODE);

            assertEquals("worker-01", node.name());
            assertEquals(Map.of("cara.dev/zone", "eu-1", "tier", "gpu"), node.metadata().labels());
            assertEquals(Map.of("note", "rack 4, slot 2"), node.metadata().annotations());
            assertEquals(Instant.parse("2026-01-02T15:04:05Z"), node.metadata().createdAt());
            assertEquals(Instant.parse("2026-01-02T15:05:00.250Z"), node.metadata().updatedAt());
            assertEquals("7", node.metadata().resourceVersion());
            assertEquals(new NodeSpec("worker-01.example.com", true), node.spec());
            NodeStatus s = node.status();
            assertEquals(NodeState.DRAINING, s.state());
            assertEquals(new NetworkStatus("100.64.0.7", "worker-01.cara.internal", NetworkMode.DERP, 9090), s.network());
            assertEquals(Quantity.parse("4"), s.capacity().amount("cpu"));
            assertEquals(Quantity.parse("8Gi"), s.capacity().amount("memory"));
            assertEquals(Quantity.parse("100G"), s.capacity().amount("ephemeral-storage"));
            assertEquals(Quantity.parse("3.8"), s.allocatable().amount("cpu"));
            assertEquals(Quantity.parse("7.5Gi"), s.allocatable().amount("memory"));
            assertEquals(new NodeInfo("6.8.0-45-generic", "Ubuntu 24.04.1 LTS", "0.1.0"), s.info());
            assertEquals(Instant.parse("2026-01-02T15:06:00Z"), s.lastHeartbeat());
            assertEquals(3, s.conditions().size());
            assertEquals(new Condition("Ready", ConditionStatus.FALSE, "Draining", "spec.unschedulable is true",
                    Instant.parse("2026-01-02T15:06:00Z"), Instant.parse("2026-01-02T15:05:00Z")), s.conditions().get(0));
            assertEquals(new Condition("MemoryPressure", ConditionStatus.UNKNOWN, null, null, null, null), s.conditions().get(2));
            assertNull(s.claim());

            assertEquals(minify(FULL_NODE), CaraJson.toJson(node));
            assertEquals(node, CaraJson.parseNode(CaraJson.toJson(node)));
        }

        @Test
        void aMinimalNodeWritesOnlyWhatItHasButAlwaysItsMapsUnschedulableAndState() {
            Node node = Node.builder("n1").build();
            assertEquals("""
                    {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"n1","labels":{},"annotations":{}},\
                    "spec":{"unschedulable":false},"status":{"state":"NotReady","capacity":{},"allocatable":{}}}""",
                    CaraJson.toJson(node));
            assertEquals(node, CaraJson.parseNode(CaraJson.toJson(node)));
        }

        @Test
        void nullValuesEmptyStringsAndEmptyObjectsAreLeftOutButMapsAreAlwaysWritten() {
            String json = """
                    {"apiVersion": "caravanserai/v1", "kind": "Node",
                     "metadata": {"name": "n1", "labels": {}, "annotations": {}, "createdAt": null, "resourceVersion": ""},
                     "spec": {"hostname": null},
                     "status": {"state": "NotReady", "network": {}, "capacity": {}, "allocatable": null,
                                "info": {"kernelVersion": ""}, "lastHeartbeat": null, "conditions": []}}
                    """;
            Node node = CaraJson.parseNode(json);
            assertEquals("""
                    {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"n1","labels":{},"annotations":{}},\
                    "spec":{"unschedulable":false},"status":{"state":"NotReady","capacity":{},"allocatable":{}}}""",
                    CaraJson.toJson(node));
        }

        @Test
        void emptyStringsInConditionsAreLeftOut() {
            Node node = Node.builder("n1").build().withStatus(NodeStatus.INITIAL.withConditions(List.of(
                    new Condition("DiskPressure", ConditionStatus.FALSE, "", "", null, null))));
            assertEquals(minify("""
                    {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"n1","labels":{},"annotations":{}},
                     "spec":{"unschedulable":false},"status":{"state":"NotReady","capacity":{},"allocatable":{},
                     "conditions":[{"type":"DiskPressure","status":"False"}]}}"""),
                    CaraJson.toJson(node));
        }

        @Test
        void unknownFieldsAreIgnoredAtEveryLevel() {
            String withExtras = """
                    {
                      "apiVersion": "caravanserai/v1", "kind": "Node", "extra": {"deep": [1, {"x": null}]},
                      "metadata": {"name": "worker-01", "uid": "c0ffee", "generation": 3, "finalizers": ["a"],
                                   "labels": {"tier": "gpu"}, "resourceVersion": "7"},
                      "spec": {"unschedulable": false, "taints": [{"key": "k"}], "podCIDR": "10.0.0.0/24"},
                      "status": {
                        "state": "Ready", "phase": "Running", "claim": {"state": "Ready"},
                        "network": {"ip": "10.0.0.7", "mtu": 1500, "mode": "Direct"},
                        "info": {"osImage": "Debian", "architecture": "arm64"},
                        "conditions": [{"type": "DiskPressure", "status": "False", "severity": "low", "count": 2}],
                        "addresses": []
                      }
                    }
                    """;
            Node node = CaraJson.parseNode(withExtras);
            assertEquals(minify("""
                    {"apiVersion":"caravanserai/v1","kind":"Node",
                     "metadata":{"name":"worker-01","labels":{"tier":"gpu"},"annotations":{},"resourceVersion":"7"},
                     "spec":{"unschedulable":false},
                     "status":{"state":"Ready","network":{"ip":"10.0.0.7","mode":"Direct"},"capacity":{},"allocatable":{},
                               "info":{"osImage":"Debian"},
                               "conditions":[{"type":"DiskPressure","status":"False"}]}}"""), CaraJson.toJson(node));
            assertNull(node.status().claim(), "the wire format never carries the agent's claim");
            assertEquals(node.withStatus(NodeStatus.INITIAL), CaraJson.parseManifest(withExtras));
        }

        @Test
        void aNodeListRoundTripsWithItemsAndWhenEmpty() {
            String empty = """
                    {"apiVersion": "caravanserai/v1", "kind": "NodeList", "items": []}
                    """;
            NodeList none = CaraJson.parseNodeList(empty);
            assertEquals(List.of(), none.items());
            assertEquals(minify(empty), CaraJson.toJson(none));
            assertEquals(minify(empty), CaraJson.toJson(NodeList.of(List.of())), "items is written even when empty");

            String two = """
                    {"apiVersion": "caravanserai/v1", "kind": "NodeList", "continue": "", "items": [%s,
                     {"apiVersion": "caravanserai/v1", "kind": "Node",
                      "metadata": {"name": "n2", "labels": {}, "annotations": {}},
                      "spec": {"unschedulable": false}, "status": {"state": "NotReady", "capacity": {}, "allocatable": {}}}]}
                    """.formatted(FULL_NODE);
            NodeList list = CaraJson.parseNodeList(two);
            assertEquals(List.of("worker-01", "n2"), list.items().stream().map(Node::name).toList());
            assertEquals(minify(two.replace("\"continue\": \"\", ", "")), CaraJson.toJson(list));

            var out = new java.io.ByteArrayOutputStream();
            CaraJson.write(list, out);
            assertEquals(CaraJson.toJson(list), out.toString(StandardCharsets.UTF_8), "the streaming writer writes the same");
        }

        @Test
        void aWatchEventRoundTrips() {
            String event = """
                    {"type": "MODIFIED", "object": %s}
                    """.formatted(FULL_NODE);
            WatchEvent e = CaraJson.parseWatchEvent(event);
            assertEquals(WatchEvent.Type.MODIFIED, e.type());
            assertEquals("worker-01", e.object().name());
            assertEquals(minify(event), CaraJson.toJson(e));

            InvalidException bad = assertThrows(InvalidException.class,
                    () -> CaraJson.parseWatchEvent("{\"type\": \"modified\", \"object\": " + FULL_NODE + "}"));
            assertMentions(bad, "type", "\"modified\"", "ADDED, MODIFIED, DELETED");
            assertThrows(InvalidException.class, () -> CaraJson.parseWatchEvent("{\"type\": \"ADDED\"}"));
        }

        @Test
        void aProblemRoundTrips() {
            String problem = """
                    {"type": "https://cara.dev/problems/invalid", "title": "Invalid request", "status": 400,
                     "detail": "spec.unschedulable: \\"yes\\" is invalid: must be a boolean (true or false, without quotes)",
                     "instance": "/api/v1/nodes", "errors": [{"field": "spec.unschedulable"}]}
                    """;
            Problem p = CaraJson.parseProblem(problem);
            assertEquals(new Problem("https://cara.dev/problems/invalid", "Invalid request", 400,
                    "spec.unschedulable: \"yes\" is invalid: must be a boolean (true or false, without quotes)",
                    "/api/v1/nodes"), p);
            assertEquals(minify(problem.replace(", \"errors\": [{\"field\": \"spec.unschedulable\"}]", "")), CaraJson.toJson(p));

            Problem bare = CaraJson.parseProblem("""
                    {"title": "Not Found", "status": 404}""");
            assertEquals("about:blank", bare.type());
            assertEquals("""
                    {"type":"about:blank","title":"Not Found","status":404}""", CaraJson.toJson(bare));
        }

        @Test
        void aHeartbeatReportRoundTrips() {
            String heartbeat = """
                    {"state": "Ready",
                     "network": {"ip": "100.64.0.7", "agentPort": 9090},
                     "capacity": {"cpu": "4", "memory": "8Gi"},
                     "allocatable": {"cpu": "3800m", "memory": "7680Mi"},
                     "info": {"agentVersion": "0.1.0"},
                     "conditions": [{"type": "DiskPressure", "status": "True", "reason": "DiskFull", "message": "93% used"}],
                     "uptime": 12345}
                    """;
            HeartbeatReport r = CaraJson.parseHeartbeat(heartbeat);
            assertEquals(new HeartbeatReport(NodeState.READY, new NetworkStatus("100.64.0.7", null, null, 9090),
                    ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")),
                    ResourceList.parse(Map.of("cpu", "3800m", "memory", "7680Mi")),
                    new NodeInfo(null, null, "0.1.0"),
                    List.of(Condition.of("DiskPressure", ConditionStatus.TRUE, "DiskFull", "93% used"))), r);
            assertEquals(minify(heartbeat.replace(",\n \"uptime\": 12345", "")), CaraJson.toJson(r));
            assertEquals(r, CaraJson.parseHeartbeat(CaraJson.toJson(r).getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void aHeartbeatReportSaysWhatItLeavesAlone() {
            HeartbeatReport only = CaraJson.parseHeartbeat("""
                    {"state": "NotReady", "capacity": null, "network": null}""");
            assertEquals(HeartbeatReport.claiming(NodeState.NOT_READY), only);
            HeartbeatReport clears = CaraJson.parseHeartbeat("""
                    {"conditions": [], "capacity": {}}""");
            assertEquals(List.of(), clears.conditions(), "an empty list replaces the agent's conditions");
            assertEquals(ResourceList.EMPTY, clears.capacity());
            assertNull(clears.allocatable());
        }

        @Test
        void quantitiesAreWrittenCanonicallyAndMayBeReadFromNumbers() {
            Node node = CaraJson.parseNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"},
                     "status": {"capacity": {"cpu": 4, "memory": "8192Mi", "gpu": 0.5, "pods": 1e2, "storage": "1.5Gi"}}}""");
            assertEquals(minify("""
                    {"cpu":"4","gpu":"500m","memory":"8Gi","pods":"100","storage":"1536Mi"}"""),
                    tree(CaraJson.toJson(node)).getJsonObject("status").getJsonObject("capacity").toString());
        }

        @Test
        void aNumericResourceVersionIsReadAsText() {
            Node node = CaraJson.parseNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n", "resourceVersion": 42}}""");
            assertEquals("42", node.metadata().resourceVersion());
        }
    }

    @Nested
    class Timestamps {
        @Test
        void areWrittenAsRfc3339InUtc() {
            Node node = Node.builder("n").build().withMetadata(ObjectMeta.named("n")
                    .withTimes(Instant.parse("2026-01-02T15:04:05Z"), Instant.parse("2026-01-02T15:04:05.123456789Z")));
            JsonObject meta = tree(CaraJson.toJson(node)).getJsonObject("metadata");
            assertEquals("2026-01-02T15:04:05Z", meta.getString("createdAt"));
            assertEquals("2026-01-02T15:04:05.123456789Z", meta.getString("updatedAt"));
        }

        @Test
        void anOffsetIsNormalisedToUtc() {
            Node node = CaraJson.parseNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node",
                     "metadata": {"name": "n", "createdAt": "2026-01-02T17:04:05+02:00", "updatedAt": "2026-01-02t10:04:05.5-05:00"},
                     "status": {"lastHeartbeat": "2026-01-02T15:04:05z"}}""");
            assertEquals(Instant.parse("2026-01-02T15:04:05Z"), node.metadata().createdAt());
            JsonObject out = tree(CaraJson.toJson(node));
            assertEquals("2026-01-02T15:04:05Z", out.getJsonObject("metadata").getString("createdAt"));
            assertEquals("2026-01-02T15:04:05.500Z", out.getJsonObject("metadata").getString("updatedAt"));
            assertEquals("2026-01-02T15:04:05Z", out.getJsonObject("status").getString("lastHeartbeat"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"yesterday", "2026-01-02", "2026-01-02T15:04:05", "2026-01-02 15:04:05Z", "2026-01-02T15:04Z",
                "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-02T25:00:00Z", "2026-01-02T15:04:05+0200",
                "2026-01-02T15:04:05+02:00:30", "1767366245", " 2026-01-02T15:04:05Z", "+10000-01-02T15:04:05Z", "26-01-02T15:04:05Z",
                "2026-1-2T15:04:05Z", "2026-01-02T15:04:05.Z", "2026-01-02T15:04:05.1234567890Z"})
        void thatAreNotRfc3339AreRejected(String text) {
            InvalidException e = invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n", "createdAt": "%s"}}""".formatted(text));
            assertEquals("metadata.createdAt", e.field());
            assertEquals(text, e.value());
            assertMentions(e, "metadata.createdAt", text, "RFC 3339", "2026-01-02T15:04:05Z");
        }

        @Test
        void asNumbersAreRejected() {
            InvalidException e = invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"lastHeartbeat": 1767366245}}""");
            assertEquals("status.lastHeartbeat: 1767366245 is invalid: must be a string (in quotes)", e.getMessage());
        }
    }

    @Nested
    class Strictness {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{}{}", "{} x", "{} 5", "{}]", "{} {\"a\": 1}", "{}\n{}", "{} null"})
        void dataAfterTheObjectIsRejected(String body) {
            InvalidException e = assertThrows(InvalidException.class, () -> JsonText.STANDARD.object(body));
            assertMentions(e, "after the JSON object", "exactly one JSON object");
            assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(body));
            assertThrows(InvalidException.class,
                    () -> CaraJson.parseHeartbeat(body.getBytes(StandardCharsets.UTF_8)));
            assertThrows(InvalidException.class, () -> CaraJson.parseManifest(body));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"5", "{", "x", "[", "\"", "{\"", "\u00e9"})
        void veryShortBodiesAreInvalidNotInternalErrors(String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(bytes));
            assertThrows(InvalidException.class, () -> CaraJson.parseManifest(new ByteArrayInputStream(bytes)));
            assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(body));
        }

        @Test
        void bytesThatAreNotUtf8AreInvalid() {
            byte[] latin1 = "{\"info\": {\"osImage\": \"D\u00e9bian\"}}".getBytes(StandardCharsets.ISO_8859_1);
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(latin1)), "malformed");
            assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}));
            assertEquals("malformed JSON: the body is not valid UTF-8",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(latin1)).getMessage());
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseManifest(new ByteArrayInputStream(
                    "{\"apiVersion\": \"caravanserai/v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"caf\u00e9\"}}"
                            .getBytes(StandardCharsets.ISO_8859_1)))), "malformed JSON");
            // A replacement character that the sender really wrote is text like any other.
            assertEquals("a\uFFFDb", CaraJson.parseHeartbeat("{\"info\": {\"osImage\": \"a\uFFFDb\"}}"
                    .getBytes(StandardCharsets.UTF_8)).info().osImage());
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertEquals(0, JsonText.STANDARD.object("  {}  \n\t\r\n").size());
            assertEquals(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat("{}\n".getBytes(StandardCharsets.UTF_8)));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"[]", "[{}]", "\"node\"", "5", "true", "null"})
        void aTopLevelValueOtherThanAnObjectIsRejected(String body) {
            InvalidException e = assertThrows(InvalidException.class, () -> JsonText.STANDARD.object(body));
            assertMentions(e, "must be a JSON object, not");
            assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(body));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":tru}", "{\"a\":01}",
                "{\"a\":\"\u0001\"}", "}"})
        void malformedJsonIsRejected(String body) {
            InvalidException e = assertThrows(InvalidException.class, () -> JsonText.STANDARD.object(body));
            assertMentions(e, "JSON");
            assertNull(e.field());
        }

        @Test
        void malformedJsonIsExplainedInWordsWithItsPlace() {
            assertEquals("malformed JSON at line 1, column 2: found the end of the body where a string or '}' should be",
                    assertThrows(InvalidException.class, () -> JsonText.STANDARD.object("{")).getMessage());
            assertEquals("malformed JSON at line 1, column 6: found '}' where a value should be",
                    assertThrows(InvalidException.class, () -> JsonText.STANDARD.object("{\"a\":}")).getMessage());
            assertEquals("malformed JSON at line 2, column 2: unexpected character 'a' (strings and field names need double quotes)",
                    assertThrows(InvalidException.class, () -> JsonText.STANDARD.object("{\n a: 1}")).getMessage());
            assertMentions(assertThrows(InvalidException.class, () -> JsonText.STANDARD.object("{\"a\":\"\u0001\"}")),
                    "control character U+0001");
        }

        @Test
        void nestingBeyondTheParsersLimitIsInvalidNotAnInternalError() {
            String deep = "{\"unknown\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
            InvalidException e = assertThrows(InvalidException.class, () -> JsonText.STANDARD.object(deep));
            assertMentions(e, "malformed JSON", "nested too deeply");
            assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(deep.getBytes(StandardCharsets.UTF_8)));
            assertThrows(InvalidException.class, () -> CaraJson.parseManifest(
                    new ByteArrayInputStream(deep.getBytes(StandardCharsets.UTF_8))));
        }

        @Test
        void aNumberBigDecimalCannotHoldIsInvalidNotAnInternalError() {
            for (String body : List.of("{\"unknown\": 1e99999999999}", "{\"network\": {\"agentPort\": 1e99999999999}}")) {
                assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(body)),
                        "malformed JSON", "number is out of range");
            }
        }

        @Test
        void anUnexpectedCharacterBeyondAsciiIsNamed() {
            // Parsson formats the character's code for the locale ("8,220"); the message must still be ours.
            assertEquals("malformed JSON at line 1, column 2: unexpected character '\u201c'",
                    assertThrows(InvalidException.class, () -> JsonText.STANDARD.object("{\u201cstate\u201d: 1}")).getMessage());
            assertEquals("malformed JSON at line 1, column 1: unexpected byte-order mark (U+FEFF): send the JSON without one",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(
                            "\uFEFF{}".getBytes(StandardCharsets.UTF_8))).getMessage());
        }

        @Test
        void anEmptyManifestIsRejected() {
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseManifest("")), "empty");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseManifest("  ")), "empty");
            assertMentions(assertThrows(InvalidException.class,
                    () -> CaraJson.parseManifest(new ByteArrayInputStream(new byte[0]))), "empty");
            assertMentions(assertThrows(InvalidException.class,
                    () -> CaraJson.parseManifest(new ByteArrayInputStream(" \n ".getBytes(StandardCharsets.UTF_8)))), "empty");
        }

        @Test
        void unschedulableMustBeABoolean() {
            String doc = """
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"unschedulable": %s}}""";
            InvalidException yes = assertThrows(InvalidException.class, () -> CaraJson.parseManifest(doc.formatted("\"yes\"")));
            assertEquals("spec.unschedulable: \"yes\" is invalid: must be a boolean (true or false, without quotes)",
                    yes.getMessage());
            assertEquals("spec.unschedulable", yes.field());
            assertEquals("yes", yes.value());
            assertEquals("spec.unschedulable: \"true\" is invalid: must be a boolean (true or false, without quotes)",
                    assertThrows(InvalidException.class, () -> CaraJson.parseManifest(doc.formatted("\"true\""))).getMessage());
            assertEquals("spec.unschedulable: 1 is invalid: must be a boolean (true or false, without quotes)",
                    assertThrows(InvalidException.class, () -> CaraJson.parseManifest(doc.formatted("1"))).getMessage());
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseManifest(doc.formatted("[true]"))),
                    "spec.unschedulable", "[true]", "boolean");
            assertTrue(CaraJson.parseManifest(doc.formatted("true")).spec().unschedulable());
            assertFalse(CaraJson.parseManifest(doc.formatted("null")).spec().unschedulable());
        }

        @Test
        void aNumberWhereAStringBelongsIsRejected() {
            assertEquals("spec.hostname: 5 is invalid: must be a string (in quotes)", invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"hostname": 5}}""")
                    .getMessage());
            assertEquals("metadata.labels.tier: 5 is invalid: must be a string (in quotes)", invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n", "labels": {"tier": 5}}}""")
                    .getMessage());
            assertEquals("metadata.annotations.note: true is invalid: must be a string (in quotes)", invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n", "annotations": {"note": true}}}""")
                    .getMessage());
            assertEquals("metadata.name: 5 is invalid: must be a string (in quotes)", invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": 5}}""").getMessage());
            assertEquals("apiVersion: 1 is invalid: must be a string (in quotes)", invalidNode("""
                    {"apiVersion": 1, "kind": "Node", "metadata": {"name": "n"}}""").getMessage());
            assertMentions(invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"network": {"ip": 10}}}"""),
                    "status.network.ip", "10", "a string");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"info": {"agentVersion": 1.2}}""")), "info.agentVersion", "1.2", "a string");
            assertMentions(invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n", "labels": ["a"]}}"""),
                    "metadata.labels", "[\"a\"]", "an object");
        }

        @Test
        void aStateInTheWrongCaseIsRejectedNamingTheValidOnes() {
            InvalidException e = assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("{\"state\": \"ready\"}"));
            assertEquals("state: \"ready\" is invalid: must be one of Ready, NotReady, Draining", e.getMessage());
            assertEquals("state", e.field());
            assertEquals("ready", e.value());
            InvalidException inNode = invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"state": "READY"}}""");
            assertMentions(inNode, "status.state", "\"READY\"", "Ready, NotReady, Draining");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("{\"state\": \"Sleeping\"}")),
                    "\"Sleeping\"", "Ready, NotReady, Draining");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("{\"state\": 1}")),
                    "state: 1 is invalid");
        }

        @Test
        void anUnknownNetworkModeIsRejected() {
            assertEquals("network.mode: \"direct\" is invalid: must be one of Direct, DERP",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                            {"network": {"mode": "direct"}}""")).getMessage());
            assertMentions(invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"network": {"mode": "Relay"}}}"""),
                    "status.network.mode", "\"Relay\"", "Direct, DERP");
        }

        @Test
        void agentPortMustBeAPortNumber() {
            assertEquals("network.agentPort: \"9090\" is invalid: must be a TCP port from 1 to 65535 (a number without quotes)",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                            {"network": {"agentPort": "9090"}}""")).getMessage());
            for (String bad : List.of("0", "-1", "65536", "99999999999999999999999", "1e30", "80.5")) {
                InvalidException e = assertThrows(InvalidException.class,
                        () -> CaraJson.parseHeartbeat("{\"network\": {\"agentPort\": " + bad + "}}"), bad);
                assertEquals("network.agentPort", e.field());
                // JSON-P keeps a number's value, not its spelling: 1e30 comes back as 1E+30.
                assertMentions(e, bad.equals("1e30") ? "1E+30" : bad, "a TCP port from 1 to 65535");
            }
            assertEquals(65535, CaraJson.parseHeartbeat("{\"network\": {\"agentPort\": 65535}}").network().agentPort());
            assertEquals(1, CaraJson.parseHeartbeat("{\"network\": {\"agentPort\": 1}}").network().agentPort());
        }

        @Test
        void conditionsMustBeAnArrayOfConditions() {
            assertEquals("status.conditions: {} is invalid: must be an array", invalidNode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"conditions": {}}}""")
                    .getMessage());
            assertEquals("conditions: \"Ready\" is invalid: must be an array",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("{\"conditions\": \"Ready\"}")).getMessage());
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("{\"conditions\": [5]}")),
                    "conditions[0]", "5", "a condition object");
            assertEquals("conditions[1].type is required: must be a condition type such as MemoryPressure",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                            {"conditions": [{"type": "DiskPressure", "status": "False"}, {"status": "True"}]}""")).getMessage());
            assertEquals("conditions[0].status is required: must be one of True, False, Unknown",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                            {"conditions": [{"type": "DiskPressure"}]}""")).getMessage());
            assertEquals("conditions[0].status: \"true\" is invalid: must be one of True, False, Unknown",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                            {"conditions": [{"type": "DiskPressure", "status": "true"}]}""")).getMessage());
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"conditions": [{"type": "DiskPressure", "status": true}]}""")), "conditions[0].status", "true", "a string");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"conditions": [{"type": "DiskPressure", "status": "True", "lastTransitionTime": "now"}]}""")),
                    "conditions[0].lastTransitionTime", "\"now\"", "RFC 3339");
            assertEquals("conditions[2].type: \"DiskPressure\" is invalid: must be unique: each type may appear once, "
                    + "and this one is already conditions[0]",
                    assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                            {"conditions": [{"type": "DiskPressure", "status": "True"}, {"type": "MemoryPressure", "status": "False"},
                                            {"type": "DiskPressure", "status": "False"}]}""")).getMessage());
        }

        @Test
        void quantitiesAreChecked() {
            assertEquals("status.capacity.memory: \"4 Gi\" is invalid: must be a number with an optional suffix: n, u, m, k, M, G, T, "
                            + "P, E, Ki, Mi, Gi, Ti, Pi, Ei or eN, with no space (for example 4, 4000m, 8Gi, 1.5G or 1e3)",
                    invalidNode("""
                            {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"},
                             "status": {"capacity": {"memory": "4 Gi"}}}""").getMessage());
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"allocatable": {"cpu": true}}""")), "allocatable.cpu", "true", "a quantity");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"capacity": {"cpu": 1e999999999}}""")), "capacity.cpu", "10^64");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"capacity": {"cpu": "1e999999999"}}""")), "capacity.cpu", "exponent");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"capacity": "4"}""")), "capacity", "an object");
        }

        @Test
        void aManifestNeedsAName() {
            assertMentions(assertThrows(InvalidException.class,
                            () -> CaraJson.parseManifest("{\"apiVersion\": \"caravanserai/v1\", \"kind\": \"Node\"}")),
                    "metadata is required");
            assertMentions(assertThrows(InvalidException.class,
                            () -> CaraJson.parseManifest("{\"apiVersion\": \"caravanserai/v1\", \"kind\": \"Node\", \"metadata\": {}}")),
                    "metadata.name is required", "DNS subdomain");
        }

        @Test
        void aManifestWithoutApiVersionOrKindMeansANode() {
            Node node = CaraJson.parseManifest("{\"metadata\": {\"name\": \"n\"}}");
            assertEquals(Node.API_VERSION, node.apiVersion());
            assertEquals(Node.KIND, node.kind());
            assertSame(node, node.validate());
        }

        @Test
        void errorsInsideAListNameTheItem() {
            InvalidException e = assertThrows(InvalidException.class, () -> CaraJson.parseNodeList("""
                    {"apiVersion": "caravanserai/v1", "kind": "NodeList", "items": [
                      {"metadata": {"name": "a"}}, {"metadata": {"name": "b"}, "spec": {"unschedulable": "no"}}]}"""));
            assertEquals("items[1].spec.unschedulable", e.field());
            assertMentions(e, "items[1].spec.unschedulable: \"no\" is invalid");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseNodeList("""
                    {"items": [5]}""")), "items[0]", "a Node object");
            assertMentions(assertThrows(InvalidException.class, () -> CaraJson.parseNodeList("""
                    {"items": {}}""")), "items", "an array");
        }
    }

    @Nested
    class ManifestsAndStorage {
        @Test
        void aManifestIgnoresStatusEvenWhenItIsInvalid() {
            for (String status : List.of("{\"state\": \"ready\", \"conditions\": 5, \"network\": {\"agentPort\": \"x\"}}",
                    "\"garbage\"", "[1, 2]", "null", "{\"capacity\": {\"cpu\": \"lots\"}, \"lastHeartbeat\": \"never\"}")) {
                Node node = CaraJson.parseManifest("""
                        {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n", "labels": {"a": "b"}},
                         "spec": {"hostname": "h", "unschedulable": true}, "status": %s}""".formatted(status));
                assertEquals(NodeStatus.INITIAL, node.status(), status);
                assertEquals(new NodeSpec("h", true), node.spec());
                assertEquals(Map.of("a", "b"), node.metadata().labels());
            }
        }

        @Test
        void aManifestReadsFromAStream() {
            String manifest = """
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "café-is-not-a-name"}}""";
            Node node = CaraJson.parseManifest(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)));
            assertEquals("café-is-not-a-name", node.name(), "the stream is read as UTF-8; validation is a separate step");
            assertThrows(InvalidException.class, node::validate);
        }

        @Test
        void storageKeepsTheAgentsClaimAndTheWireNeverShowsIt() {
            Node wire = CaraJson.parseNode(FULL_NODE);
            Node stored = wire.withStatus(new NodeStatus(NodeState.NOT_READY, wire.status().network(), wire.status().capacity(),
                    wire.status().allocatable(), wire.status().info(), wire.status().lastHeartbeat(), wire.status().conditions(),
                    new AgentClaim(NodeState.NOT_READY, AgentClaim.AGENT_SHUTDOWN, "agent stopped: SIGTERM")));

            String storage = NodeStorageCodec.encode(stored);
            assertEquals(minify("""
                    {"state":"NotReady","reason":"AgentShutdown","message":"agent stopped: SIGTERM"}"""),
                    tree(storage).getJsonObject("status").getJsonObject("claim").toString());
            assertEquals(stored, NodeStorageCodec.decode(storage));

            String json = CaraJson.toJson(stored);
            assertFalse(json.contains("claim"), json);
            assertFalse(json.contains("AgentShutdown"), json);
            assertNull(CaraJson.parseNode(storage).status().claim(), "the wire reader ignores a claim it is sent");
            assertEquals(stored.withStatus(new NodeStatus(stored.status().state(), stored.status().network(),
                    stored.status().capacity(), stored.status().allocatable(), stored.status().info(),
                    stored.status().lastHeartbeat(), stored.status().conditions(), null)), CaraJson.parseNode(storage));

            assertMentions(assertThrows(InvalidException.class, () -> NodeStorageCodec.decode("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"},
                     "status": {"claim": {"state": "ready"}}}""")), "status.claim.state", "\"ready\"");
        }

        @Test
        void aNodeWithoutClaimStoresLikeTheWire() {
            Node node = CaraJson.parseNode(FULL_NODE);
            assertEquals(CaraJson.toJson(node), NodeStorageCodec.encode(node));
            assertEquals(node, NodeStorageCodec.decode(NodeStorageCodec.encode(node)));
        }
    }

    @Nested
    class Heartbeats {
        @Test
        void anEmptyOrBlankBodyIsTheEmptyReport() {
            assertSame(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat(""));
            assertSame(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat(" \r\n\t "));
            assertSame(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat((String) null));
            assertSame(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat(new byte[0]));
            assertSame(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat(" \n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat("{}"));
            assertEquals(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat("{\"unknown\": [1, 2, 3]}"));
            assertEquals("{}", CaraJson.toJson(HeartbeatReport.EMPTY));
        }

        @Test
        void bytesInUtf8AreRead() {
            HeartbeatReport r = CaraJson.parseHeartbeat("""
                    {"info": {"osImage": "Débian GNU/Linux 13 «trixie» ☃"}}""".getBytes(StandardCharsets.UTF_8));
            assertEquals("Débian GNU/Linux 13 «trixie» ☃", r.info().osImage());
        }

        @Test
        void controlPlaneConditionTypesAreReadAsSentAndLeftToTheControlPlaneToDrop() {
            HeartbeatReport r = CaraJson.parseHeartbeat("""
                    {"conditions": [{"type": "Ready", "status": "True"}, {"type": "MemoryPressure", "status": "False"}]}""");
            assertEquals(List.of("Ready", "MemoryPressure"), r.conditions().stream().map(Condition::type).toList());
        }
    }

    @Nested
    class Escaping {
        static final String NASTY = "say \"hi\" \\ back\\slash\nnew line\ttab \u0001\u001f\u007f é 😀 </script> \u2028";

        @Test
        void stringsWithQuotesAndControlCharactersAreEscapedAndReadBack() {
            Node node = Node.builder("n").annotation("note", NASTY).hostname("h\"ost").build();
            String json = CaraJson.toJson(node);
            assertTrue(json.chars().noneMatch(c -> c < 0x20), () -> "raw control character in " + json);
            assertTrue(json.contains("say \\\"hi\\\" \\\\ back\\\\slash\\nnew line\\ttab \\u0001\\u001f"), json);
            assertTrue(json.contains("\"hostname\":\"h\\\"ost\""), json);
            Node back = CaraJson.parseNode(json);
            assertEquals(NASTY, back.metadata().annotations().get("note"));
            assertEquals(node, back);
            assertEquals(NASTY, tree(json).getJsonObject("metadata").getJsonObject("annotations").getString("note"),
                    "any JSON reader reads the same text");
        }

        @Test
        void aProblemDetailWithQuotesIsEscaped() {
            Problem p = new Problem(null, "Invalid", 400, "metadata.name: \"Web_1\"\n is invalid", null);
            String json = CaraJson.toJson(p);
            assertEquals("{\"type\":\"about:blank\",\"title\":\"Invalid\",\"status\":400,"
                    + "\"detail\":\"metadata.name: \\\"Web_1\\\"\\n is invalid\"}", json);
            assertEquals(p, CaraJson.parseProblem(json));
        }

        @Test
        void errorMessagesShowControlCharactersEscaped() {
            InvalidException e = assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat("""
                    {"state": "Ready\\n\\u0007"}"""));
            assertEquals("state: \"Ready\\n\\u0007\" is invalid: must be one of Ready, NotReady, Draining", e.getMessage());
            assertEquals("Ready\n\u0007", e.value());
        }

        @Test
        void longValuesAreShortenedInMessages() {
            String longName = "x".repeat(500);
            InvalidException e = assertThrows(InvalidException.class, () -> CaraJson.parseHeartbeat(
                    "{\"state\": \"" + longName + "\"}"));
            assertTrue(e.getMessage().length() < 200, e.getMessage());
            assertTrue(e.getMessage().contains("..."), e.getMessage());
            assertEquals(longName, e.value(), "the exception keeps the whole value");
        }
    }

    @Nested
    class JsonB {
        @Test
        void mapsNodesLikeTheCodec() {
            Node node = CaraJson.parseNode(FULL_NODE);
            String viaJsonb = CaraJson.jsonb().toJson(node);
            assertEquals(CaraJson.toJson(node), viaJsonb);
            assertEquals(node, CaraJson.jsonb().fromJson(viaJsonb, Node.class));
            assertEquals(node, CaraJson.jsonb().fromJson(FULL_NODE, Node.class));
        }

        @Test
        void mapsNodeListsLikeTheCodec() {
            NodeList list = NodeList.of(List.of(CaraJson.parseNode(FULL_NODE), Node.builder("n2").build()));
            String viaJsonb = CaraJson.jsonb().toJson(list);
            assertEquals(CaraJson.toJson(list), viaJsonb);
            assertEquals(list, CaraJson.jsonb().fromJson(viaJsonb, NodeList.class));
            assertEquals(NodeList.of(List.of()), CaraJson.jsonb().fromJson(
                    "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"NodeList\",\"items\":[]}", NodeList.class));
        }

        @Test
        void mapsTheOtherWireTypesLikeTheCodec() {
            HeartbeatReport r = CaraJson.parseHeartbeat("{\"state\": \"Ready\", \"capacity\": {\"cpu\": \"2\"}}");
            assertEquals(CaraJson.toJson(r), CaraJson.jsonb().toJson(r));
            assertEquals(r, CaraJson.jsonb().fromJson(CaraJson.toJson(r), HeartbeatReport.class));
            Problem p = new Problem(null, "Not Found", 404, "node \"x\" not found", "/api/v1/nodes/x");
            assertEquals(CaraJson.toJson(p), CaraJson.jsonb().toJson(p));
            assertEquals(p, CaraJson.jsonb().fromJson(CaraJson.toJson(p), Problem.class));
            WatchEvent e = new WatchEvent(WatchEvent.Type.DELETED, Node.builder("gone").build());
            assertEquals(CaraJson.toJson(e), CaraJson.jsonb().toJson(e));
            assertEquals(e, CaraJson.jsonb().fromJson(CaraJson.toJson(e), WatchEvent.class));
        }

        @Test
        void nodesNestedInAnApplicationsOwnJsonUseTheWireFormat() {
            Node node = Node.builder("n1").label("tier", "gpu").build();
            assertEquals("[" + CaraJson.toJson(node) + "]", CaraJson.jsonb().toJson(List.of(node)));
            assertEquals("{\"node\":" + CaraJson.toJson(node) + "}", CaraJson.jsonb().toJson(Map.of("node", node)));
        }

        @Test
        void readingIsAsStrictAsTheCodec() {
            Exception e = assertThrows(Exception.class, () -> CaraJson.jsonb().fromJson("""
                    {"apiVersion": "caravanserai/v1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"unschedulable": "yes"}}""",
                    Node.class));
            Throwable cause = e;
            while (cause != null && !(cause instanceof InvalidException)) {
                cause = cause.getCause();
            }
            assertTrue(cause instanceof InvalidException, () -> "expected an InvalidException inside " + e);
            assertMentions((InvalidException) cause, "spec.unschedulable", "\"yes\"", "boolean");
        }
    }
}
