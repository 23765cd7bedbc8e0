package dev.cara.agent;

import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentEndpointTest {
    private final ManualScheduler time = new ManualScheduler();
    private final HeartbeatReport report = new HeartbeatReport(null, null, ResourceList.parse(Map.of("cpu", "4")), null, null, null);
    private final AtomicReference<AgentStatus> status = new AtomicReference<>(new AgentStatus("w1", AgentStatus.Phase.REGISTERING,
            AgentStatus.Connection.UNKNOWN, OptionalLong.empty(), 0, 0, Optional.empty(), Optional.empty()));
    private final AgentEndpoint endpoint = AgentEndpoint.start("127.0.0.1", 0, new AgentEndpoint.Source(status::get,
            () -> report, time, "http://cp:8080", Duration.ofSeconds(30), Map.of("zone", "a")));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        endpoint.close();
        http.close();
    }

    private HttpResponse<String> call(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = call("GET", path);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        return JsonTrees.object(r.body());
    }

    @Test
    void healthSaysStartingThenOkWithTheHeartbeatAge() throws Exception {
        JsonObject starting = get("/healthz");
        assertEquals("starting", starting.getString("status"));
        assertFalse(starting.getBoolean("registered"));
        assertTrue(starting.isNull("lastHeartbeatAgeSeconds"));
        assertEquals("unknown", starting.getString("connection"));

        status.set(new AgentStatus("w1", AgentStatus.Phase.REGISTERED, AgentStatus.Connection.CONNECTED,
                OptionalLong.of(time.read()), 3, 0, Optional.empty(), Optional.of(report)));
        time.advance(Duration.ofMillis(12_345));
        JsonObject ok = get("/healthz");
        assertEquals("ok", ok.getString("status"));
        assertTrue(ok.getBoolean("registered"));
        assertFalse(ok.getBoolean("deleted"));
        assertEquals("connected", ok.getString("connection"));
        assertEquals(12.345, ok.getJsonNumber("lastHeartbeatAgeSeconds").doubleValue(), 1e-9);
        assertEquals(3, ok.getInt("heartbeats"));
        assertEquals("w1", ok.getString("node"));
    }

    @Test
    void healthSaysDisconnectedAndDeleted() throws Exception {
        status.set(new AgentStatus("w1", AgentStatus.Phase.REGISTERED, AgentStatus.Connection.LOST,
                OptionalLong.of(time.read()), 3, 4, Optional.of("connection refused"), Optional.empty()));
        JsonObject lost = get("/healthz");
        assertEquals("disconnected", lost.getString("status"));
        assertEquals("lost", lost.getString("connection"));
        assertEquals("connection refused", lost.getString("lastError"));
        assertEquals(4, lost.getInt("failuresInARow"));

        status.set(new AgentStatus("w1", AgentStatus.Phase.DELETED, AgentStatus.Connection.CONNECTED,
                OptionalLong.of(time.read()), 3, 0, Optional.empty(), Optional.empty()));
        JsonObject deleted = get("/healthz");
        assertEquals("deleted", deleted.getString("status"));
        assertTrue(deleted.getBoolean("deleted"));
        assertFalse(deleted.getBoolean("registered"));
    }

    @Test
    void infoShowsWhatTheAgentReports() throws Exception {
        JsonObject preview = get("/info");
        assertEquals("w1", preview.getString("node"));
        assertEquals("http://cp:8080", preview.getString("server"));
        assertEquals("30s", preview.getString("heartbeatInterval"));
        assertEquals("a", preview.getJsonObject("labels").getString("zone"));
        assertEquals("4", preview.getJsonObject("report").getJsonObject("capacity").getString("cpu"));

        HeartbeatReport sent = new HeartbeatReport(NodeState.READY, null, ResourceList.parse(Map.of("cpu", "8")), null, null, null);
        status.set(new AgentStatus("w1", AgentStatus.Phase.REGISTERED, AgentStatus.Connection.CONNECTED,
                OptionalLong.of(time.read()), 1, 0, Optional.empty(), Optional.of(sent)));
        JsonObject info = get("/info");
        assertEquals("8", info.getJsonObject("report").getJsonObject("capacity").getString("cpu"));
        assertEquals("Ready", info.getJsonObject("report").getString("state"));
    }

    @Test
    void unknownPathsAndMethodsAreProblems() throws Exception {
        HttpResponse<String> missing = call("GET", "/nope");
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, JsonTrees.object(missing.body()).getInt("status"));
        assertEquals(404, call("GET", "/healthz/extra").statusCode());

        HttpResponse<String> post = call("POST", "/healthz");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void aTakenPortIsAClearError() {
        AgentException e = org.junit.jupiter.api.Assertions.assertThrows(AgentException.class, () -> AgentEndpoint.start(
                "127.0.0.1", endpoint.port(), new AgentEndpoint.Source(status::get, () -> report, time, "x", Duration.ofSeconds(1), Map.of())));
        assertTrue(e.getMessage().contains("AGENT_LISTEN_PORT"), e.getMessage());
    }
}
