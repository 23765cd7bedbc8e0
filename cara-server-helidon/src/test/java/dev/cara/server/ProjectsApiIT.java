package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.cara.server.ProjectCalls.assertProblem;
import static dev.cara.server.ProjectCalls.node;
import static dev.cara.server.ProjectCalls.phase;
import static dev.cara.server.ProjectCalls.project;
import static dev.cara.server.ProjectCalls.readyHeartbeat;
import static dev.cara.server.ProjectCalls.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project API of issue 16 over the wire, against the packaged server in its own process in open
 * mode: statuses, bodies and problem JSON of every route. Each test has nodes of its own in a pool
 * (label {@code pool}) that only its projects select, so the scheduler binds them there and the tests
 * do not see each other's projects.
 */
class ProjectsApiIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static ServerProcess server;
    static String url;
    static HttpClient http;
    static ProjectCalls api;

    @BeforeAll
    static void start() throws Exception {
        server = ProjectCalls.startServer(dir, "none");
        url = ProjectCalls.url(server);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        api = new ProjectCalls(http, url);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A Ready node in {@code pool} with {@code cpu} allocatable. */
    private static void readyNode(String name, String pool, String cpu) throws Exception {
        assertEquals(201, api.call("POST", "/api/v1/nodes", node(name, pool)).statusCode());
        assertEquals(204, api.call("POST", "/api/v1/nodes/" + name + "/heartbeat", readyHeartbeat(cpu)).statusCode());
    }

    private static HttpResponse<String> create(String name, String pool, Map<String, String> labels) throws Exception {
        HttpResponse<String> r = api.call("POST", "/api/v1/projects", project(name, pool, "100m", labels));
        assertEquals(201, r.statusCode(), r.body());
        return r;
    }

    private static HttpResponse<String> get(String name) {
        try {
            return api.call("GET", "/api/v1/projects/" + name, null);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitPhase(String name, String phase) {
        Eventually.until(WAIT, () -> {
            HttpResponse<String> r = get(name);
            return r.statusCode() == 200 && phase(r).equals(phase);
        }, () -> "project " + name + " to be " + phase + "; it is " + get(name).body());
    }

    private static List<String> names(HttpResponse<String> list) {
        assertEquals(200, list.statusCode(), list.body());
        return JsonTrees.object(list.body()).getJsonArray("items").stream()
                .map(v -> v.asJsonObject().getJsonObject("metadata").getString("name")).toList();
    }

    // ------------------------------------------------------------------ create, get

    @Test
    void createAnswers201PendingWithItsLocationAndADuplicateIs409() throws Exception {
        HttpResponse<String> r = create("c-web", "c-none", Map.of("app", "web"));
        assertEquals("/api/v1/projects/c-web", r.headers().firstValue("location").orElse(null));
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonObject o = JsonTrees.object(r.body());
        assertEquals("Project", o.getString("kind"));
        assertEquals("Pending", phase(r));
        assertNotNull(o.getJsonObject("metadata").getString("resourceVersion"));

        assertProblem(api.call("POST", "/api/v1/projects", project("c-web", null, "1", Map.of())), 409, "c-web");
        assertEquals(200, get("c-web").statusCode());
    }

    @Test
    void anInvalidManifestIs400NamingTheField() throws Exception {
        String noImage = project("c-bad", null, "1", Map.of()).replace(",\"image\":\"nginx:alpine\"", "");
        assertProblem(api.call("POST", "/api/v1/projects", noImage), 400, "spec.services[0].image");
        assertProblem(api.call("POST", "/api/v1/projects", project("c-bad", null, "lots", Map.of())), 400,
                "spec.resources.requests");
        assertProblem(api.call("POST", "/api/v1/projects", "{\"kind\":"), 400);
        assertProblem(get("c-bad"), 404, "c-bad");
    }

    @Test
    void anUnknownProjectIs404AndABadNameIs400() throws Exception {
        assertProblem(get("nosuch"), 404, "project \"nosuch\" not found");
        assertProblem(api.call("DELETE", "/api/v1/projects/nosuch", null), 404, "nosuch");
        assertProblem(api.call("PATCH", "/api/v1/projects/nosuch/status", report("Running")), 404, "nosuch");
        assertProblem(get("Not_A_Name"), 400, "name");
        assertProblem(api.call("POST", "/api/v1/projects/x", null), 405, "POST");
        assertProblem(api.call("GET", "/api/v1/projects/x/other", null), 404, "/status");
    }

    // ------------------------------------------------------------------ list, watch

    @Test
    void listFiltersByPhasesOredByNodeRefAndByLabels() throws Exception {
        readyNode("l-w1", "l-pool", "4");
        create("l-bound", "l-pool", Map.of("team", "l", "tier", "front"));
        create("l-failed", "l-pool", Map.of("team", "l", "tier", "back"));
        create("l-waiting", "l-nowhere", Map.of("team", "l", "tier", "front"));
        awaitPhase("l-bound", "Scheduled");
        awaitPhase("l-failed", "Scheduled");
        assertEquals(200, api.call("PATCH", "/api/v1/projects/l-failed/status", report("Failed")).statusCode());

        String team = "labelSelector=team%3Dl";
        assertEquals(List.of("l-bound", "l-failed", "l-waiting"), names(api.call("GET", "/api/v1/projects?" + team, null)));
        assertEquals(List.of("l-bound", "l-waiting"),
                names(api.call("GET", "/api/v1/projects?phase=Pending&phase=Scheduled&" + team, null)));
        assertEquals(List.of("l-failed"), names(api.call("GET", "/api/v1/projects?phase=Failed&" + team, null)));
        assertEquals(List.of("l-bound", "l-failed"), names(api.call("GET", "/api/v1/projects?nodeRef=l-w1", null)));
        assertEquals(List.of("l-bound", "l-waiting"),
                names(api.call("GET", "/api/v1/projects?labelSelector=team%3Dl,tier%3Dfront", null)));
        assertEquals(List.of("l-bound"), names(api.call("GET", "/api/v1/projects?nodeRef=l-w1&labelSelector=tier%3Dfront", null)));
        assertEquals(List.of(), names(api.call("GET", "/api/v1/projects?nodeRef=l-none", null)));

        assertProblem(api.call("GET", "/api/v1/projects?phase=running", null), 400, "phase", "Running");
        assertProblem(api.call("GET", "/api/v1/projects?nodeRef=Bad_Node", null), 400, "nodeRef");
        assertProblem(api.call("GET", "/api/v1/projects?labelSelector=%3D%3D", null), 400, "labelSelector");
    }

    @Test
    void watchStreamsNdjsonAddedModifiedDeletedLikeNodes() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpRequest watch = HttpRequest.newBuilder(URI.create(url + "/api/v1/projects?watch=true&labelSelector=w%3Dyes")).build();
        create("w-before", "w-none", Map.of("w", "yes"));
        CompletableFuture<HttpResponse<Stream<String>>> pending = http.sendAsync(watch, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> stream = pending.get(30, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        assertEquals("application/x-ndjson", stream.headers().firstValue("content-type").orElse(""));
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                stream.body().filter(l -> !l.isBlank()).forEach(l -> {
                    seen.add(l);
                    lines.add(l);
                });
            } catch (java.io.UncheckedIOException closedByTheTest) {
                // the finally block below closed the stream
            }
        });
        try {
            assertEvent(lines, "ADDED", "w-before");
            create("w-new", "w-none", Map.of("w", "yes"));
            assertEvent(lines, "ADDED", "w-new");
            create("w-other", "w-none", Map.of("w", "no"));
            HttpResponse<String> current = get("w-new");
            String relabelled = current.body().replace("\"w\":\"yes\"", "\"w\":\"yes\",\"extra\":\"1\"");
            assertEquals(200, api.call("PUT", "/api/v1/projects/w-new", relabelled).statusCode());
            assertEvent(lines, "MODIFIED", "w-new");
            assertEquals(204, api.call("DELETE", "/api/v1/projects/w-new", null).statusCode());
            assertEvent(lines, "DELETED", "w-new");
            assertTrue(seen.stream().noneMatch(l -> l.contains("\"w-other\"")), "the selector keeps w-other out: " + seen);
        } finally {
            stream.body().close();
            reader.interrupt();
        }
    }

    /**
     * Waits for the next event about {@code name} other than the scheduler's status updates (a
     * MODIFIED of the same project for its Scheduled condition), and asserts its type.
     */
    private static void assertEvent(BlockingQueue<String> lines, String type, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            JsonObject event = JsonTrees.object(line);
            JsonObject metadata = event.getJsonObject("object").getJsonObject("metadata");
            boolean statusOnly = event.getString("type").equals("MODIFIED") && !type.equals("MODIFIED");
            if (!metadata.getString("name").equals(name) || statusOnly) {
                continue;
            }
            assertEquals(type, event.getString("type"), line);
            return;
        }
        throw new AssertionError("no " + type + " event for " + name + " within " + WAIT);
    }

    // ------------------------------------------------------------------ update

    @Test
    void updateIsCompareAndSetAndTheSpecIsFrozenOnceScheduledButLabelsAreNot() throws Exception {
        readyNode("u-w1", "u-pool", "4");
        String v1 = create("u-web", "u-none", Map.of("app", "web")).body();
        String v2 = api.call("PUT", "/api/v1/projects/u-web", v1.replace("\"app\":\"web\"", "\"app\":\"web2\"")).body();
        assertTrue(v2.contains("\"web2\""), v2);
        assertProblem(api.call("PUT", "/api/v1/projects/u-web", v1.replace("nginx:alpine", "nginx:2")), 409, "resourceVersion");
        assertProblem(api.call("PUT", "/api/v1/projects/u-other", v2), 400, "metadata.name", "u-other");

        // Pending: the spec may change; moving it to the pool gets it bound.
        String v3 = api.call("PUT", "/api/v1/projects/u-web", v2.replace("\"pool\":\"u-none\"", "\"pool\":\"u-pool\"")).body();
        assertTrue(v3.contains("u-pool"), v3);
        awaitPhase("u-web", "Scheduled");
        String scheduled = get("u-web").body();
        assertProblem(api.call("PUT", "/api/v1/projects/u-web", scheduled.replace("nginx:alpine", "nginx:2")), 409,
                "Scheduled", "Pending or Failed");
        HttpResponse<String> relabelled = api.call("PUT", "/api/v1/projects/u-web", scheduled.replace("\"app\":\"web2\"", "\"app\":\"web3\""));
        assertEquals(200, relabelled.statusCode(), relabelled.body());
        assertEquals("Scheduled", phase(relabelled));
        assertEquals("web3", JsonTrees.object(relabelled.body()).getJsonObject("metadata").getJsonObject("labels").getString("app"));
    }

    // ------------------------------------------------------------------ delete

    @Test
    void deleteRemovesPendingAtOnceTurnsScheduledTerminatingAndForceRemovesAnyPhase() throws Exception {
        readyNode("d-w1", "d-pool", "4");
        create("d-pending", "d-none", Map.of());
        HttpResponse<String> gone = api.call("DELETE", "/api/v1/projects/d-pending", null);
        assertEquals(204, gone.statusCode(), gone.body());
        assertEquals("", gone.body());
        assertProblem(get("d-pending"), 404, "d-pending");

        create("d-bound", "d-pool", Map.of());
        awaitPhase("d-bound", "Scheduled");
        HttpResponse<String> accepted = api.call("DELETE", "/api/v1/projects/d-bound", null);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("Terminating", phase(accepted));
        HttpResponse<String> again = api.call("DELETE", "/api/v1/projects/d-bound", null);
        assertEquals(202, again.statusCode(), again.body());
        assertEquals("Terminating", phase(again));
        // The agent tears it down and says so; the control plane then removes the record.
        assertEquals("Terminated", phase(api.call("PATCH", "/api/v1/projects/d-bound/status", report("Terminated"))));
        Eventually.await(WAIT, "the Terminated project to be removed", () -> get("d-bound").statusCode() == 404);

        create("d-forced", "d-pool", Map.of());
        awaitPhase("d-forced", "Scheduled");
        assertEquals("Running", phase(api.call("PATCH", "/api/v1/projects/d-forced/status", report("Running"))));
        assertEquals(204, api.call("DELETE", "/api/v1/projects/d-forced?force=true", null).statusCode());
        assertProblem(get("d-forced"), 404, "d-forced");
        Eventually.await(WAIT, "the server to log that containers may be left behind", () -> server.stderr.stream()
                .anyMatch(l -> l.contains("d-forced") && l.contains("left behind")));
        assertProblem(api.call("DELETE", "/api/v1/projects/d-bound?force=maybe", null), 400, "force");
    }

    // ------------------------------------------------------------------ status reports

    @Test
    void statusReportsFollowTheAgentsStepsAndOthersAre409NamingBothPhases() throws Exception {
        readyNode("s-w1", "s-pool", "4");
        create("s-web", "s-pool", Map.of());
        awaitPhase("s-web", "Scheduled");
        assertProblem(api.call("PATCH", "/api/v1/projects/s-web/status", report("Terminated")), 409, "Scheduled", "Terminated");
        HttpResponse<String> running = api.call("PATCH", "/api/v1/projects/s-web/status", report("Running"));
        assertEquals(200, running.statusCode(), running.body());
        assertEquals("Running", phase(running));
        assertEquals(200, api.call("PATCH", "/api/v1/projects/s-web/status", report("Running")).statusCode(), "a repeat is fine");
        assertProblem(api.call("PATCH", "/api/v1/projects/s-web/status", report("Pending")), 409, "Running", "Pending");
        assertEquals("Failed", phase(api.call("PATCH", "/api/v1/projects/s-web/status", report("Failed"))));

        assertProblem(api.call("PATCH", "/api/v1/projects/s-web/status", "{\"phase\":\"Sleeping\"}"), 400, "phase");
        assertProblem(api.call("PATCH", "/api/v1/projects/s-web/status", null), 400, "body");
        assertProblem(api.call("PUT", "/api/v1/projects/s-web/status", report("Running")), 405, "PATCH");
    }

    @Test
    void aReportInOpenModeForAnUnboundProjectIs409SayingItIsNotBound() throws Exception {
        create("o-waiting", "o-nowhere", Map.of());
        assertProblem(api.call("PATCH", "/api/v1/projects/o-waiting/status", report("Running")), 409,
                "o-waiting", "not bound to a node");
        assertEquals("Pending", phase(get("o-waiting")));
    }

    // ------------------------------------------------------------------ node delete guard

    @Test
    void aNodeWithScheduledRunningOrTerminatingProjectsCannotBeDeletedButPendingAndFailedDoNotBlock() throws Exception {
        readyNode("g-w1", "g-pool", "8");
        for (String p : List.of("g-a", "g-b", "g-c", "g-d", "g-e")) {
            create(p, "g-pool", Map.of());
            awaitPhase(p, "Scheduled");
        }
        assertEquals(200, api.call("PATCH", "/api/v1/projects/g-b/status", report("Running")).statusCode());
        assertEquals(202, api.call("DELETE", "/api/v1/projects/g-c", null).statusCode());
        assertEquals(200, api.call("PATCH", "/api/v1/projects/g-e/status", report("Failed")).statusCode());
        assertProblem(api.call("DELETE", "/api/v1/nodes/g-w1", null), 409, "g-w1", "4 projects", "g-a (Scheduled)",
                "g-b (Running)", "g-c (Terminating)", "and 1 more");

        // What is left: a Failed project on it, a Pending one waiting elsewhere. Neither blocks.
        for (String p : List.of("g-a", "g-b", "g-c", "g-d")) {
            assertEquals(204, api.call("DELETE", "/api/v1/projects/" + p + "?force=true", null).statusCode(), p);
        }
        create("g-waiting", "g-nowhere", Map.of());
        assertEquals("Failed", phase(get("g-e")));
        HttpResponse<String> deleted = api.call("DELETE", "/api/v1/nodes/g-w1", null);
        assertEquals(204, deleted.statusCode(), deleted.body());
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void aBoundProjectPastItsExpireAtTurnsTerminating() throws Exception {
        readyNode("e-w1", "e-pool", "4");
        String expiring = project("e-web", "e-pool", "100m", Map.of())
                .replace("\"spec\":{", "\"spec\":{\"expireAt\":\"" + Instant.now().plusSeconds(4) + "\",");
        assertEquals(201, api.call("POST", "/api/v1/projects", expiring).statusCode());
        awaitPhase("e-web", "Scheduled");
        awaitPhase("e-web", "Terminating");
        String message = JsonTrees.object(get("e-web").body()).getJsonObject("status").toString();
        assertTrue(message.toLowerCase(java.util.Locale.ROOT).contains("expire"), message);
    }
}
