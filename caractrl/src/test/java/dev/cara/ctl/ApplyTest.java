package dev.cara.ctl;

import dev.cara.sdk.NodeApplier;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.VersionInfo;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplyTest {
    static final Path EXAMPLES = Path.of("..", "examples", "manifests");

    private Harness h;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        h = new Harness();
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aMultiDocumentFileCreatesEachNodeInOrderThenIsUnchanged() {
        String file = EXAMPLES.resolve("fleet.yaml").toString();
        Harness.Result first = h.run("apply", "-f", file);
        assertEquals(0, first.code(), first::toString);
        assertEquals("node/worker-02 created\nnode/worker-03 created\nnode/gpu-01 created\n", first.out());
        assertEquals(NodeState.DRAINING, h.controlPlane.get("gpu-01").state());
        assertEquals(Map.of("env", "prod", "accelerator", "nvidia-a100"), h.controlPlane.get("gpu-01").metadata().labels());

        Harness.Result again = h.run("apply", "-f", file);
        assertEquals(0, again.code(), again::toString);
        assertEquals("node/worker-02 unchanged\nnode/worker-03 unchanged\nnode/gpu-01 unchanged\n", again.out());
    }

    @Test
    void drainAndUndrainManifestsConfigureTheNodeAndKeepItsStatus() {
        h.run("apply", "-f", EXAMPLES.resolve("node.yaml").toString());
        h.controlPlane.heartbeat("worker-01", HeartbeatReport.claiming(NodeState.READY));
        assertEquals(NodeState.READY, h.controlPlane.get("worker-01").state());

        Harness.Result drain = h.run("apply", "-f", EXAMPLES.resolve("worker-01-drain.yaml").toString());
        assertEquals("node/worker-01 configured\n", drain.out(), drain::toString);
        Node drained = h.controlPlane.get("worker-01");
        assertEquals(NodeState.DRAINING, drained.state());
        assertTrue(drained.status().lastHeartbeat() != null, "status is kept");
        assertEquals("node/worker-01 unchanged\n", h.run("apply", "-f", EXAMPLES.resolve("worker-01-drain.yaml").toString()).out());

        Harness.Result undrain = h.run("apply", "-f", EXAMPLES.resolve("worker-01-undrain.yaml").toString());
        assertEquals("node/worker-01 configured\n", undrain.out());
        assertEquals(NodeState.READY, h.controlPlane.get("worker-01").state());
    }

    @Test
    void applyReplacesLabelsAndAnnotations() {
        h.runWithInput("""
                apiVersion: caravanserai/v1
                kind: Node
                metadata: {name: w1, labels: {a: "1", b: "2"}, annotations: {note: x}}
                """, "apply", "-f", "-");
        Harness.Result r = h.runWithInput("""
                {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"w1","labels":{"b":"3"}}}
                """, "apply", "-f", "-");
        assertEquals("node/w1 configured\n", r.out(), r::toString);
        Node w1 = h.controlPlane.get("w1");
        assertEquals(Map.of("b", "3"), w1.metadata().labels());
        assertEquals(Map.of(), w1.metadata().annotations());
    }

    @Test
    void jsonMayHoldSeveralObjectsAnArrayOrANodeList() {
        Harness.Result r = h.runWithInput("""
                {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"j1"}}
                {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"j2"}}
                [{"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"j3"}}]
                {"apiVersion":"caravanserai/v1","kind":"NodeList","items":[
                  {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"j4"},"spec":{"unschedulable":true}}]}
                """, "apply", "-f", "-");
        assertEquals(0, r.code(), r::toString);
        assertEquals("node/j1 created\nnode/j2 created\nnode/j3 created\nnode/j4 created\n", r.out());
        assertTrue(h.controlPlane.get("j4").spec().unschedulable());
    }

    @Test
    void aDirectoryAppliesItsManifestFilesInNameOrder() throws IOException {
        Files.writeString(dir.resolve("b.json"), "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"b\"}}");
        Files.writeString(dir.resolve("a.yaml"), "apiVersion: caravanserai/v1\nkind: Node\nmetadata:\n  name: a\n");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("c.yml"), "apiVersion: caravanserai/v1\nkind: Node\nmetadata:\n  name: c\n");

        Harness.Result flat = h.run("apply", "-f", dir.toString());
        assertEquals("node/a created\nnode/b created\n", flat.out(), flat::toString);
        Harness.Result deep = h.run("apply", "-R", "-f", dir.toString());
        assertEquals("node/a unchanged\nnode/b unchanged\nnode/c created\n", deep.out(), deep::toString);
    }

    @Test
    void anInvalidDocumentNamesFileDocumentAndFieldAndNothingIsApplied() throws IOException {
        Path file = dir.resolve("nodes.yaml");
        Files.writeString(file, """
                apiVersion: caravanserai/v1
                kind: Node
                metadata: {name: good}
                ---
                apiVersion: caravanserai/v1
                kind: Node
                metadata: {name: bad}
                spec:
                  unschedulable: "yes"
                """);
        Harness.Result r = h.run("apply", "-f", file.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("Error: " + file + ": document 2: spec.unschedulable: "), r.err());
        assertTrue(r.err().contains("must be a boolean (true or false, without quotes)"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("", r.out());
        assertTrue(h.controlPlane.list().isEmpty(), "nothing applied");
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void manifestErrorsAreSpecific() throws IOException {
        assertManifestError("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: Web_1}\n",
                "document 1: metadata.name: \"Web_1\" is invalid");
        assertManifestError("apiVersion: caravanserai/v1\nkind: Pod\nmetadata: {name: w}\n",
                "document 1: kind: \"Pod\" is invalid: must be \"Node\" or \"Project\"");
        assertManifestError("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: w}\n---\napiVersion: caravanserai/v1\nkind: Node\nmetadata:\n  labels: {a: b}\n",
                "document 2: metadata.name is required");
        assertManifestError("apiVersion: caravanserai/v1\nkind: Node\nmetadata:\n  name: w\n  name: v\n", "document 1: malformed YAML at line 5");
        assertManifestError("apiVersion: caravanserai/v1\nkind: Node\nmetadata: [unclosed\n", "document 1: malformed YAML at line");
        assertManifestError("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: w, labels: {version: 1.5}}\n", "document 1: metadata.labels.version: 1.5 is invalid: must be a string");
        assertManifestError("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"w\"}} {\"kind\":", "document 2: malformed JSON");
        assertManifestError("# only a comment\n", "no manifests found");
        assertManifestError("kind: NodeList\nitems:\n  - {apiVersion: caravanserai/v1, kind: Node, metadata: {name: ok}}\n  - apiVersion: caravanserai/v1\n    kind: Node\n    metadata: {name: x, annotations: {n: 5}}\n",
                "document 1: items[1].metadata.annotations.n: 5 is invalid: must be a string");
    }

    private void assertManifestError(String content, String expected) throws IOException {
        Path file = Files.createTempFile(dir, "m", ".yaml");
        Files.writeString(file, content);
        Harness.Result r = h.run("apply", "-f", file.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("Error: " + file + ": "), r.err());
        assertTrue(r.err().contains(expected), () -> "expected <" + expected + "> in " + r.err());
    }

    @Test
    void missingFilesAndFileOptionsAreReported() {
        Harness.Result missing = h.run("apply", "-f", dir.resolve("nope.yaml").toString());
        assertEquals(1, missing.code());
        assertEquals("Error: " + dir.resolve("nope.yaml") + ": no such file or directory\n", missing.err());

        Harness.Result noFile = h.run("apply");
        assertEquals(2, noFile.code());
        assertTrue(noFile.err().startsWith("Error: Missing required option: '--filename=FILE'"), noFile.err());
    }

    @Test
    void aConflictingWriterIsOutlastedByReReadingAndRetrying() {
        h.controlPlane.register(Node.builder("w1").build());
        AtomicInteger raced = new AtomicInteger();
        h.clientWrapper = client -> new Delegating(client) {
            @Override
            public Node update(Node manifest) {
                if (raced.getAndIncrement() < 2) {
                    // Another operator writes between our read and our write, twice.
                    Node current = h.controlPlane.get("w1");
                    h.controlPlane.update(current.withMetadata(current.metadata().withAnnotations(
                            Map.of("other", "writer-" + raced.get()))));
                }
                return super.update(manifest);
            }
        };
        Harness.Result r = h.runWithInput("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: w1, labels: {team: a}}\n", "apply", "-f", "-");
        assertEquals(0, r.code(), r::toString);
        assertEquals("node/w1 configured\n", r.out());
        assertEquals(3, raced.get(), "two refused writes, then one that went through");
        assertEquals(Map.of("team", "a"), h.controlPlane.get("w1").metadata().labels());
    }

    @Test
    void retriesAreBounded() {
        h.controlPlane.register(Node.builder("w1").build());
        AtomicInteger attempts = new AtomicInteger();
        h.clientWrapper = client -> new Delegating(client) {
            @Override
            public Node update(Node manifest) {
                attempts.incrementAndGet();
                throw new ConflictException("the resourceVersion is stale");
            }
        };
        Harness.Result r = h.runWithInput("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: w1, labels: {team: a}}\n", "apply", "-f", "-");
        assertEquals(1, r.code(), r::toString);
        assertEquals(NodeApplier.ATTEMPTS, attempts.get());
        assertTrue(r.err().startsWith("Error: -: document 1: node/w1: node \"w1\" kept changing"), r.err());
    }

    @Test
    void aManifestThatPinsAStaleResourceVersionIsRefusedNotRetried() {
        h.controlPlane.register(Node.builder("w1").build());
        h.controlPlane.setUnschedulable("w1", true); // resourceVersion moves on
        Harness.Result r = h.runWithInput("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: w1, resourceVersion: \"1\", labels: {a: b}}\n",
                "apply", "-f", "-");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("Error: -: document 1: node/w1: "), r.err());
        assertEquals(Map.of(), h.controlPlane.get("w1").metadata().labels());
    }

    @Test
    void aRefusedNodeIsReportedAndTheRestAreStillApplied() {
        h.clientWrapper = client -> new Delegating(client) {
            @Override
            public Node register(Node manifest) {
                if (manifest.name().equals("worker-03")) {
                    throw new dev.cara.sdk.InvalidException("metadata.labels.env", "staging", "refused by policy");
                }
                return super.register(manifest);
            }
        };
        Harness.Result r = h.run("apply", "-f", EXAMPLES.resolve("fleet.yaml").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("node/worker-02 created\nnode/gpu-01 created\n", r.out());
        assertTrue(r.err().contains("fleet.yaml: document 2: node/worker-03: metadata.labels.env: \"staging\" is invalid"), r.err());
    }

    /** A client that forwards every call; tests override the call they want to disturb. */
    static class Delegating implements CaraClient {
        private final CaraClient d;

        Delegating(CaraClient d) {
            this.d = d;
        }

        @Override
        public Node register(Node manifest) {
            return d.register(manifest);
        }

        @Override
        public Node get(String name) {
            return d.get(name);
        }

        @Override
        public NodeList list(LabelSelector selector) {
            return d.list(selector);
        }

        @Override
        public Node update(Node manifest) {
            return d.update(manifest);
        }

        @Override
        public void delete(String name) {
            d.delete(name);
        }

        @Override
        public void heartbeat(String name, HeartbeatReport report) {
            d.heartbeat(name, report);
        }

        @Override
        public Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose) {
            return d.watch(selector, events, onClose);
        }

        @Override
        public VersionInfo serverVersion() {
            return d.serverVersion();
        }

        @Override
        public String target() {
            return d.target();
        }
    }
}
