package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventList;
import dev.cara.sdk.EventWatchEvent;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.Watch;
import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.JsonTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's event history end to end: a real {@code cara-server} process ({@code --auth none}, a 2 s
 * heartbeat timeout), a node registered, timed out and drained, its events read over HTTP, through
 * the caractrl launcher ({@code get events --for}, {@code describe node}), and a watch that receives a
 * new event as it happens.
 */
class EventsIT {
    static Processes.Server server;
    static CaraClient api;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path home;

    @BeforeAll
    static void startServer() throws Exception {
        server = new Processes.Server(CaractrlIT.SERVER_JAR, List.of("--auth", "none", "--heartbeat-timeout", "2s"));
        api = CaraClient.http(URI.create(server.url));
    }

    @AfterAll
    static void stopServer() throws Exception {
        Processes.closeAll(api, server);
    }

    private static List<String> reasons(String node) {
        return api.listEvents(EventFilter.about(InvolvedObject.node(node))).items().stream().map(Event::reason).toList();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNodeThatTimesOutAndIsDrainedLeavesItsHistoryForHttpAndCaractrl() throws Exception {
        api.register(Node.builder("ev-1").build());
        api.heartbeat("ev-1", HeartbeatReport.claiming(NodeState.READY));
        Eventually.until(Duration.ofSeconds(30), () -> reasons("ev-1").contains("NotReady"), () -> reasons("ev-1").toString());
        Node n = api.get("ev-1");
        api.update(n.withSpec(n.spec().withUnschedulable(true)));
        Eventually.until(Duration.ofSeconds(30), () -> reasons("ev-1").contains("Draining"), () -> reasons("ev-1").toString());

        HttpResponse<String> list = get("/api/v1/events?object=node/ev-1");
        assertEquals(200, list.statusCode(), list::body);
        assertTrue(list.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        EventList events = CaraJson.parseEventList(list.body());
        assertEquals(List.of("Registered", "Ready", "NotReady", "Draining"), events.items().stream().map(Event::reason).toList());
        Event notReady = events.items().get(2);
        assertEquals("Warning", notReady.type().wireName());
        assertEquals("node is NotReady: no heartbeat within the heartbeat timeout (HeartbeatTimeout)", notReady.message());
        var tree = JsonTrees.object(list.body());
        assertEquals("EventList", tree.getString("kind"));
        assertEquals("Node", tree.getJsonArray("items").getJsonObject(0).getJsonObject("involvedObject").getString("kind"));

        HttpResponse<String> warnings = get("/api/v1/events?object=node/ev-1&type=Warning");
        assertEquals(List.of("NotReady"), CaraJson.parseEventList(warnings.body()).items().stream().map(Event::reason).toList());

        HttpResponse<String> bad = get("/api/v1/events?object=ev-1");
        assertEquals(400, bad.statusCode(), bad::body);
        assertTrue(bad.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        assertTrue(JsonTrees.object(bad.body()).getString("detail").contains("KIND/NAME"), bad::body);
        assertEquals(405, HTTP.send(HttpRequest.newBuilder(URI.create(server.url + "/api/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        Processes.Run table = Processes.caractrl(home, "", "--server", server.url, "get", "events", "--for", "node/ev-1");
        assertEquals(0, table.code(), table::toString);
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).matches("LAST SEEN +TYPE +REASON +OBJECT +COUNT +MESSAGE"), table::toString);
        assertTrue(lines.get(3).matches("\\d+s +Warning +NotReady +node/ev-1 +1 +node is NotReady: no heartbeat .*"), table::toString);
        assertEquals(5, lines.size(), table::toString);

        Processes.Run describe = Processes.caractrl(home, "", "--server", server.url, "describe", "node", "ev-1");
        assertEquals(0, describe.code(), describe::toString);
        String section = describe.out().substring(describe.out().indexOf("Events:\n"));
        assertTrue(section.lines().skip(1).findFirst().orElse("").matches(" +TYPE +REASON +AGE +COUNT +MESSAGE"), section);
        assertTrue(section.lines().anyMatch(l -> l.matches(" +Normal +Draining +\\d+s +1 +node is Draining.*")), section);
    }

    @Test
    void aWatchReceivesANewEventLive() throws Exception {
        api.register(Node.builder("ev-2").build());
        LinkedBlockingQueue<EventWatchEvent> seen = new LinkedBlockingQueue<>();
        try (Watch w = api.watchEvents(EventFilter.about(InvolvedObject.node("ev-2")), seen::add, reason -> { })) {
            EventWatchEvent first = seen.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "the watch starts with the history");
            assertEquals("ADDED Registered", first.type() + " " + first.object().reason());
            api.heartbeat("ev-2", HeartbeatReport.claiming(NodeState.READY));
            EventWatchEvent live = seen.poll(30, TimeUnit.SECONDS);
            assertNotNull(live, "the Ready event arrives while the watch is open");
            assertEquals("ADDED Ready", live.type() + " " + live.object().reason());
            assertTrue(w.isOpen());
        }
        HttpResponse<String> watchAll = HTTP.send(HttpRequest.newBuilder(URI.create(server.url + "/api/v1/events?watch=true&object=bad"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, watchAll.statusCode(), watchAll::body);
    }
}
