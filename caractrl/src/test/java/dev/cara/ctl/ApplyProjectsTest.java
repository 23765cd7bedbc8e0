package dev.cara.ctl;

import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.Quantity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code apply -f} with Project documents, alone and mixed with Nodes. */
class ApplyProjectsTest {
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

    private String example(String file) {
        return ApplyTest.EXAMPLES.resolve(file).toString();
    }

    @Test
    void aMixedFileCreatesNodesAndProjectsInOrderThenIsUnchanged() {
        Harness.Result first = h.run("apply", "-f", example("node-and-projects.yaml"));
        assertEquals(0, first.code(), first::toString);
        assertEquals("node/worker-05 created\nproject/status-page created\nproject/nginx-demo created\n", first.out());
        assertEquals("worker-05.lan", h.controlPlane.get("worker-05").spec().hostname());
        Project page = h.projects.get("status-page");
        assertEquals(ProjectPhase.PENDING, page.phase());
        assertEquals(Quantity.parse("250m"), page.spec().resources().requests().amount("cpu"));
        assertEquals(Map.of("env", "prod"), page.spec().nodeSelector());

        Harness.Result again = h.run("apply", "-f", example("node-and-projects.yaml"));
        assertEquals("node/worker-05 unchanged\nproject/status-page unchanged\nproject/nginx-demo unchanged\n", again.out(),
                again::toString);
    }

    @Test
    void everyExampleProjectManifestIsValidAndApplies() {
        Harness.Result r = h.run("apply", "-f", example("nginx-demo.yaml"), "-f", example("shop.yaml"));
        assertEquals("project/nginx-demo created\nproject/shop created\n", r.out(), r::toString);
        Project shop = h.projects.get("shop");
        assertEquals(List.of("web", "api"), shop.spec().services().stream().map(s -> s.name()).toList());
        assertEquals(Instant.parse("2099-12-31T23:59:59Z"), shop.spec().expireAt());
    }

    @Test
    void labelsChangeInAnyPhaseButTheSpecOnlyWhilePendingOrFailed() throws IOException {
        h.run("apply", "-f", example("shop.yaml"));
        Project created = h.projects.get("shop");
        h.projects.put(created.withStatus(new ProjectStatus(ProjectPhase.RUNNING, "worker-01", List.of())));
        String manifest = Files.readString(ApplyTest.EXAMPLES.resolve("shop.yaml"));

        Path relabelled = dir.resolve("relabelled.yaml");
        Files.writeString(relabelled, manifest.replace("env: prod\n  annotations", "env: staging\n  annotations"));
        Harness.Result labels = h.run("apply", "-f", relabelled.toString());
        assertEquals("project/shop configured\n", labels.out(), labels::toString);
        assertEquals("staging", h.projects.get("shop").metadata().labels().get("env"));

        Path respecced = dir.resolve("respecced.yaml");
        Files.writeString(respecced, manifest.replace("cpu: 500m", "cpu: 750m"));
        Harness.Result spec = h.run("apply", "-f", respecced.toString());
        assertEquals(1, spec.code(), spec::toString);
        assertEquals("", spec.out());
        assertTrue(spec.err().startsWith("Error: " + respecced + ": document 1: project/shop: project \"shop\" is Running:"
                + " its spec may change only while it is Pending or Failed"), spec.err());
        assertEquals(Quantity.parse("500m"), h.projects.get("shop").spec().resources().requests().amount("cpu"));
    }

    @Test
    void aStalePinnedResourceVersionIsReportedNotRetried() throws IOException {
        h.run("apply", "-f", example("nginx-demo.yaml"));
        Path pinned = dir.resolve("pinned.yaml");
        Files.writeString(pinned, """
                kind: Project
                metadata: {name: nginx-demo, resourceVersion: "999", labels: {a: b}}
                spec: {services: [{name: web, image: "nginx:alpine"}]}
                """);
        Harness.Result r = h.run("apply", "-f", pinned.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("resourceVersion 999 is stale"), r.err());
        assertEquals(Map.of(), h.projects.get("nginx-demo").metadata().labels());
    }

    @Test
    void anInvalidProjectDocumentStopsTheWholeFileBeforeAnythingIsWritten() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                kind: Node
                metadata: {name: worker-09}
                ---
                kind: Project
                metadata: {name: web}
                spec:
                  services: [{name: web, image: "nginx:alpine", volumeMounts: [{name: data, mountPath: /data}]}]
                """);
        Harness.Result r = h.run("apply", "-f", bad.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("Error: " + bad + ": document 2: spec.services[0].volumeMounts[0].name"), r.err());
        assertEquals(0, h.controlPlane.list().size());
    }
}
