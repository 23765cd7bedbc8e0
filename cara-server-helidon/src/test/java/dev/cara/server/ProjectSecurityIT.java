package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.JsonTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.cara.server.ProjectCalls.assertProblem;
import static dev.cara.server.ProjectCalls.node;
import static dev.cara.server.ProjectCalls.phase;
import static dev.cara.server.ProjectCalls.project;
import static dev.cara.server.ProjectCalls.readyHeartbeat;
import static dev.cara.server.ProjectCalls.report;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who may do what to projects, with tokens on (plain HTTP; {@link SecurityIT} covers TLS and
 * client certificates): a node credential sees and reports only the projects bound to its own node,
 * viewers read, bootstrap tokens stay out, admins do everything, and every project write leaves an
 * audit line.
 */
class ProjectSecurityIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static ServerProcess server;
    static String admin;
    static String w1;
    static ProjectCalls api;
    static HttpClient http;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        server = ProjectCalls.startServer(dir, "token");
        url = ProjectCalls.url(server);
        admin = Files.readString(dir.resolve("cara-data").resolve("admin-token")).trim();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        api = new ProjectCalls(http, url);
        for (String n : List.of("sec-w1", "sec-w2")) {
            assertEquals(201, api.call("POST", "/api/v1/nodes", admin, node(n, n)).statusCode());
            assertEquals(204, api.call("POST", "/api/v1/nodes/" + n + "/heartbeat", admin, readyHeartbeat("4")).statusCode());
        }
        w1 = token("node", ",\"node\":\"sec-w1\",\"description\":\"agent w1\"");
        for (String[] p : new String[][] {{"on-w1", "sec-w1"}, {"on-w2", "sec-w2"}, {"nowhere", "sec-none"}}) {
            assertEquals(201, api.call("POST", "/api/v1/projects", admin, project(p[0], p[1], "100m", Map.of())).statusCode());
        }
        for (String p : List.of("on-w1", "on-w2")) {
            Eventually.await(WAIT, p + " bound", () -> phaseAsAdmin(p).equals("Scheduled"));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String token(String role, String extra) throws Exception {
        HttpResponse<String> r = api.call("POST", "/api/v1/tokens", admin, "{\"role\":\"" + role + "\"" + extra + "}");
        assertEquals(201, r.statusCode(), r.body());
        return JsonTrees.object(r.body()).getString("token");
    }

    private static String phaseAsAdmin(String project) {
        try {
            HttpResponse<String> r = api.call("GET", "/api/v1/projects/" + project, admin, null);
            return r.statusCode() == 200 ? phase(r) : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    private static int watchStatus(String query, String token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/projects?watch=true" + query))
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<InputStream> r = http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream()).get(30, TimeUnit.SECONDS);
        r.body().close();
        return r.statusCode();
    }

    @Test
    void aNodeCredentialReadsAndReportsOnlyTheProjectsBoundToItsNode() throws Exception {
        assertEquals(200, api.call("GET", "/api/v1/projects/on-w1", w1, null).statusCode());
        assertProblem(api.call("GET", "/api/v1/projects/on-w2", w1, null), 403, "on-w2", "node \"sec-w2\"", "node \"sec-w1\"");
        assertProblem(api.call("GET", "/api/v1/projects/nowhere", w1, null), 403, "bound to no node");

        HttpResponse<String> running = api.call("PATCH", "/api/v1/projects/on-w1/status", w1, report("Running"));
        assertEquals(200, running.statusCode(), running.body());
        assertEquals("Running", phase(running));
        assertProblem(api.call("PATCH", "/api/v1/projects/on-w2/status", w1, report("Running")), 403,
                "report project \"on-w2\"", "node \"sec-w2\"", "node \"sec-w1\"");
        assertEquals("Scheduled", phaseAsAdmin("on-w2"), "the refused report changed nothing");

        for (String[] write : new String[][] {{"POST", "/api/v1/projects"}, {"PUT", "/api/v1/projects/on-w1"},
                {"DELETE", "/api/v1/projects/on-w1"}}) {
            String body = write[0].equals("DELETE") ? null : project("on-w1", "sec-w1", "100m", Map.of());
            assertProblem(api.call(write[0], write[1], w1, body), 403, "node credentials may only list, watch and read");
        }
        assertEquals("Running", phaseAsAdmin("on-w1"));
    }

    @Test
    void aNodeCredentialListsAndWatchesOnlyWithItsOwnNodeRef() throws Exception {
        HttpResponse<String> own = api.call("GET", "/api/v1/projects?nodeRef=sec-w1", w1, null);
        assertEquals(200, own.statusCode(), own.body());
        assertEquals(List.of("on-w1"), JsonTrees.object(own.body()).getJsonArray("items").stream()
                .map(v -> v.asJsonObject().getJsonObject("metadata").getString("name")).toList());
        assertProblem(api.call("GET", "/api/v1/projects", w1, null), 403, "add ?nodeRef=sec-w1");
        assertProblem(api.call("GET", "/api/v1/projects?nodeRef=sec-w2", w1, null), 403, "add ?nodeRef=sec-w1");
        assertEquals(200, watchStatus("&nodeRef=sec-w1", w1));
        assertEquals(403, watchStatus("", w1));
        assertEquals(403, watchStatus("&nodeRef=sec-w2", w1));
    }

    @Test
    void anAdminReportsOnBehalfOfTheBoundNode() throws Exception {
        assertEquals(201, api.call("POST", "/api/v1/projects", admin, project("by-admin", "sec-w2", "100m", Map.of())).statusCode());
        Eventually.await(WAIT, "by-admin bound", () -> phaseAsAdmin("by-admin").equals("Scheduled"));
        HttpResponse<String> r = api.call("PATCH", "/api/v1/projects/by-admin/status", admin, report("Failed"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Failed", phase(r));
        assertProblem(api.call("PATCH", "/api/v1/projects/nowhere/status", admin, report("Running")), 409, "not bound to a node");
    }

    @Test
    void aViewerReadsAndWatchesProjectsButCannotWriteThem() throws Exception {
        String viewer = token("viewer", ",\"description\":\"ci-viewer\"");
        assertEquals(200, api.call("GET", "/api/v1/projects", viewer, null).statusCode());
        assertEquals(200, api.call("GET", "/api/v1/projects/on-w2", viewer, null).statusCode());
        assertEquals(200, watchStatus("", viewer));
        assertProblem(api.call("POST", "/api/v1/projects", viewer, project("by-viewer", null, "1", Map.of())), 403,
                "token \"ci-viewer\" (role viewer) may not create projects: viewers may only read and watch");
        assertProblem(api.call("PATCH", "/api/v1/projects/on-w2/status", viewer, report("Running")), 403, "viewers");
        assertProblem(api.call("DELETE", "/api/v1/projects/on-w2", viewer, null), 403, "viewers");
        assertEquals(404, api.call("GET", "/api/v1/projects/by-viewer", admin, null).statusCode());
    }

    @Test
    void aBootstrapTokenCannotTouchProjects() throws Exception {
        String bootstrap = token("agent-bootstrap", ",\"ttl\":\"1h\"");
        assertProblem(api.call("GET", "/api/v1/projects", bootstrap, null), 403, "bootstrap tokens may only register a node");
        assertProblem(api.call("GET", "/api/v1/projects/on-w1", bootstrap, null), 403, "bootstrap");
        assertProblem(api.call("PATCH", "/api/v1/projects/on-w1/status", bootstrap, report("Running")), 403, "bootstrap");
        assertProblem(api.call("GET", "/api/v1/projects", null, null), 401);
    }

    @Test
    void everyProjectWriteIsAudited() throws Exception {
        assertEquals(201, api.call("POST", "/api/v1/projects", admin, project("audited", "sec-none", "100m", Map.of())).statusCode());
        assertEquals(204, api.call("DELETE", "/api/v1/projects/audited", admin, null).statusCode());
        assertEquals(403, api.call("PATCH", "/api/v1/projects/on-w2/status", w1, report("Failed")).statusCode());
        for (String action : List.of("action=create object=\"project \\\"audited\\\"\" status=201",
                "action=delete object=\"project \\\"audited\\\"\" status=204",
                "action=denied-report object=\"project \\\"on-w2\\\"\" status=403")) {
            Eventually.await(WAIT, "the audit line " + action, () -> server.stdoutSeen.stream()
                    .anyMatch(l -> l.contains("audit ") && l.contains(action)));
        }
    }
}
