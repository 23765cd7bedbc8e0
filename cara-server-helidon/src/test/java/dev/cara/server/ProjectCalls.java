package dev.cara.server;

import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw JSON calls to a real server for the project ITs: manifests as text, answers with their status
 * and headers, problem JSON checked as the node API's tests check it. Immutable; the JDK client it
 * holds is thread-safe.
 */
final class ProjectCalls {
    private final HttpClient http;
    private final String url;

    ProjectCalls(HttpClient http, String url) {
        this.http = http;
        this.url = url;
    }

    HttpResponse<String> call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A server process on a free port over a memory store, with {@code --auth auth}, once it listens. */
    static ServerProcess startServer(Path dir, String auth) throws IOException, InterruptedException {
        ServerProcess server = ServerProcess.start(dir, Map.of(), "--auth", auth, "--host", "127.0.0.1", "--port", "0",
                "--store", "memory:", "--heartbeat-timeout", "90s");
        server.awaitStartupLine(Duration.ofSeconds(60));
        return server;
    }

    /** The URL a started server listens on. */
    static String url(ServerProcess server) {
        return server.stdoutSeen.stream().filter(l -> l.contains("listening on")).findFirst().map(ServerProcess::url)
                .orElseThrow(() -> new AssertionError("no start-up line yet: " + server.stdoutSeen));
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, null, body);
    }

    /** A project manifest: one service, a CPU request, and a node selector {@code pool=<pool>} (none when null). */
    static String project(String name, String pool, String cpu, Map<String, String> labels) {
        StringBuilder l = new StringBuilder();
        labels.forEach((k, v) -> l.append(l.isEmpty() ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
        return "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Project\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                + l + "}},\"spec\":{\"services\":[{\"name\":\"web\",\"image\":\"nginx:alpine\"}],"
                + "\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"}}"
                + (pool == null ? "" : ",\"nodeSelector\":{\"pool\":\"" + pool + "\"}") + "}}";
    }

    static String node(String name, String pool) {
        return "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"pool\":\"" + pool + "\"}},\"spec\":{\"hostname\":\"" + name + ".lan\"}}";
    }

    static String readyHeartbeat(String cpu) {
        return "{\"state\":\"Ready\",\"allocatable\":{\"cpu\":\"" + cpu + "\",\"memory\":\"8Gi\"}}";
    }

    static String report(String phase) {
        return "{\"phase\":\"" + phase + "\",\"reason\":\"Test\",\"message\":\"reported by a test\"}";
    }

    /** Asserts a problem JSON answer with this status whose detail contains every fragment. */
    static JsonObject assertProblem(HttpResponse<String> r, int status, String... fragments) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"),
                r.headers().toString());
        JsonObject o = JsonTrees.object(r.body());
        assertEquals(status, o.getInt("status"));
        assertFalse(o.getString("title").isBlank(), r.body());
        String detail = o.getString("detail");
        for (String f : fragments) {
            assertTrue(detail.contains(f), "detail \"" + detail + "\" should contain \"" + f + "\"");
        }
        return o;
    }

    static String phase(HttpResponse<String> r) {
        return JsonTrees.object(r.body()).getJsonObject("status").getString("phase");
    }
}
