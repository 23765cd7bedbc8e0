package dev.cara.server;

import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's files at /ui/ (types, revalidation, nothing outside the folder) and
 * GET /api/v1/identity, in open mode and with tokens, over real HTTP against a server process.
 */
class DashboardFilesIT {
    private static final Duration START = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void servesTheDashboardFilesWithTheirTypesAndRevalidation() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--auth", "none", "--port", "0", "--store", "memory:")) {
            String url = ServerProcess.url(server.awaitStartupLine(START));

            HttpResponse<String> bare = get(url + "/ui", Map.of());
            assertEquals(301, bare.statusCode());
            assertEquals("/ui/", bare.headers().firstValue("Location").orElseThrow());

            HttpResponse<String> index = get(url + "/ui/", Map.of());
            assertEquals(200, index.statusCode());
            assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElseThrow());
            assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\">"), index.body());

            HttpResponse<String> app = get(url + "/ui/app.js", Map.of());
            assertEquals("text/javascript; charset=utf-8", app.headers().firstValue("Content-Type").orElseThrow());
            String etag = app.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, get(url + "/ui/app.js", Map.of("If-None-Match", etag)).statusCode());
            assertEquals(200, get(url + "/ui/app.js", Map.of("If-None-Match", "\"other\"")).statusCode());
            assertEquals("text/css; charset=utf-8", get(url + "/ui/style.css", Map.of()).headers().firstValue("Content-Type").orElseThrow());

            for (String missing : new String[]{"/ui/nothing.js", "/ui/..%2Fapi", "/ui/sub/app.js", "/ui/DashboardFiles.class"}) {
                HttpResponse<String> res = get(url + missing, Map.of());
                assertEquals(404, res.statusCode(), missing);
                assertEquals("application/problem+json", res.headers().firstValue("Content-Type").orElseThrow(), missing);
                assertTrue(res.body().contains("the dashboard starts at /ui/"), res.body());
            }

            JsonObject open = JsonTrees.object(get(url + "/api/v1/identity", Map.of()).body());
            assertEquals("none", open.getString("auth"));
            assertEquals("anonymous", open.getString("name"));
            assertTrue(open.getJsonObject("may").getBoolean("updateNodes"));
        }
    }

    @Test
    void identityTellsAViewerItMayOnlyRead() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--auth", "token", "--port", "0", "--store", "memory:")) {
            String url = ServerProcess.url(server.awaitStartupLine(START));
            String admin = Files.readString(dir.resolve("cara-data").resolve("admin-token")).trim();

            assertEquals(401, get(url + "/api/v1/identity", Map.of()).statusCode());
            assertEquals(200, get(url + "/ui/", Map.of()).statusCode(), "the page itself is public; its data is not");

            JsonObject asAdmin = JsonTrees.object(get(url + "/api/v1/identity", bearer(admin)).body());
            assertEquals("required", asAdmin.getString("auth"));
            assertEquals("admin", asAdmin.getString("role"));
            assertTrue(asAdmin.getJsonObject("may").getBoolean("updateNodes"));

            HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/tokens"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"viewer\",\"description\":\"dashboard\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, issued.statusCode(), issued.body());
            String viewer = JsonTrees.object(issued.body()).getString("token");
            JsonObject asViewer = JsonTrees.object(get(url + "/api/v1/identity", bearer(viewer)).body());
            assertEquals("viewer", asViewer.getString("role"));
            assertTrue(asViewer.getJsonObject("may").getBoolean("readNodes"));
            assertFalse(asViewer.getJsonObject("may").getBoolean("updateNodes"));
            assertFalse(asViewer.getJsonObject("may").getBoolean("manageTokens"));
        }
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
