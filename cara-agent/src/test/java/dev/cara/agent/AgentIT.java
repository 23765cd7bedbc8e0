package dev.cara.agent;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Condition;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Quantity;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server process and real agent processes, as an operator would run them. The server's
 * heartbeat timeout is 2 s and the agents beat every second, so the slow paths show within seconds.
 */
class AgentIT {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOON = Duration.ofSeconds(30); // generous: the build machine is shared
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern AGENT_PORT = Pattern.compile("health endpoint on port (\\d+)");

    @TempDir
    static Path work;
    private static ChildProcess server;
    private static CaraClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<ChildProcess> agents = new ArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = startServer("2s");
        client = CaraClient.http(URI.create(url(server)));
    }

    static ChildProcess startServer(String heartbeatTimeout) throws IOException {
        return ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(),
                List.of("--host", "127.0.0.1", "--port", "0", "--store", "memory:", "--auth", "none", "--heartbeat-timeout", heartbeatTimeout));
    }

    static String url(ChildProcess server) {
        return server.awaitLine(LISTENING, SOON).replace("0.0.0.0", "127.0.0.1");
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void stopAgents() {
        agents.forEach(ChildProcess::close);
    }

    private ChildProcess agent(String serverUrl, String nodeName, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--server", serverUrl, "--node-name", nodeName,
                "--listen-address", "127.0.0.1", "--listen-port", "0", "--heartbeat-interval", "1s",
                "--runtime", "simulated")); // these tests are about the node's life; a machine without Docker warns
        args.addAll(List.of(extra));
        ChildProcess agent = ChildProcess.start("agent-" + nodeName, work, ChildProcess.agentJar(), Map.of(), args);
        agents.add(agent);
        return agent;
    }

    static JsonObject healthz(ChildProcess agent) {
        int port = Integer.parseInt(agent.awaitLine(AGENT_PORT, SOON));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JsonTrees.object(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Node awaitState(CaraClient c, String name, NodeState state) {
        return Eventually.await(SOON, name + " " + state, () -> c.get(name), n -> n.state() == state);
    }

    private static List<String> problems(ChildProcess agent) {
        return agent.output().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception")).toList();
    }

    @Test
    void theNodeAppearsReadyWithTheMachinesRealCapacity() throws IOException {
        ChildProcess agent = agent(url(server), "it-ready", "--label", "zone=it");
        Node node = awaitState(client, "it-ready", NodeState.READY);

        HostFacts here = new OshiHostProbe(Path.of("/"), URI.create("http://127.0.0.1"), java.util.Optional.empty()).probe();
        assertEquals(Quantity.of(here.logicalCpus()), node.status().capacity().amount("cpu"));
        assertEquals(Quantity.ofBytes(here.memoryTotalBytes()), node.status().capacity().amount("memory"));
        assertTrue(node.status().capacity().amount("ephemeral-storage").compareTo(Quantity.ZERO) > 0);
        assertTrue(node.status().allocatable().amount("cpu").compareTo(node.status().capacity().amount("cpu")) < 0,
                "allocatable is capacity minus the reservation");
        assertEquals("it", node.metadata().labels().get("zone"));
        assertEquals("127.0.0.1", node.status().network().ip(), "the address of the route to the server");
        assertEquals(Integer.parseInt(agent.awaitLine(AGENT_PORT, SOON)), node.status().network().agentPort());
        assertTrue(node.status().info().kernelVersion() != null && node.status().info().agentVersion() != null);
        assertTrue(node.status().condition(Condition.MEMORY_PRESSURE).isPresent());
        assertTrue(node.status().condition(Condition.DISK_PRESSURE).isPresent());

        // A recent heartbeat, as an event to wait for: one look at the age would also measure how long
        // the agent's thread or this JVM happened to be held up just then.
        JsonObject health = Eventually.await(SOON, "healthz ok with a heartbeat in the last 5 s", () -> healthz(agent),
                h -> "ok".equals(h.getString("status")) && h.getJsonNumber("lastHeartbeatAgeSeconds").doubleValue() < 5);
        assertTrue(health.getBoolean("registered"));
        assertEquals("connected", health.getString("connection"));
        assertEquals(List.of(), problems(agent));
    }

    @Test
    void aKilledAgentsNodeTurnsNotReadyAndARestartBringsItBackWithoutError() throws Exception {
        ChildProcess first = agent(url(server), "it-restart");
        awaitState(client, "it-restart", NodeState.READY);
        first.kill();
        Node down = awaitState(client, "it-restart", NodeState.NOT_READY);
        assertEquals(dev.cara.sdk.ConditionStatus.TRUE, down.status().condition(Condition.NO_HEARTBEAT).orElseThrow().status(),
                "the timeout, not a claim: " + down.status());

        ChildProcess second = agent(url(server), "it-restart");
        awaitState(client, "it-restart", NodeState.READY);
        assertEquals(1, second.count(Pattern.compile("already registered")), "a 409 on register is normal: " + second.output());
        assertEquals(List.of(), problems(second));
    }

    @Test
    void deletingTheNodeSendsTheAgentIdleWithoutReRegistering() throws Exception {
        ChildProcess agent = agent(url(server), "it-delete");
        ChildProcess witness = agent(url(server), "it-witness");
        awaitState(client, "it-delete", NodeState.READY);
        client.delete("it-delete");

        Eventually.await(SOON, "healthz deleted", () -> healthz(agent), h -> "deleted".equals(h.getString("status")));
        assertTrue(healthz(agent).getBoolean("deleted"));
        // Let several intervals pass, measured by the witness agent's heartbeats, not by a sleep.
        long seen = healthz(witness).getJsonNumber("heartbeats").longValue();
        Eventually.await(SOON, "three more witness heartbeats", () -> healthz(witness).getJsonNumber("heartbeats").longValue(),
                n -> n >= seen + 3);
        assertThrows(NotFoundException.class, () -> client.get("it-delete"), "the agent must not register again");
        assertTrue(agent.alive(), "it stays up, idle");
        assertEquals(1, agent.count(Pattern.compile("was deleted.*Restart the agent to register it again")), agent.output().toString());
        assertEquals("deleted", healthz(agent).getString("status"));
    }

    @Test
    void sigtermReportsNotReadyWithAgentShutdownAtOnceAndExitsZero() throws Exception {
        // A long timeout, so that only the agent's goodbye can explain NotReady.
        try (ChildProcess patient = startServer("10m"); CaraClient c = CaraClient.http(URI.create(url(patient)))) {
            ChildProcess agent = agent(url(patient), "it-sigterm");
            awaitState(c, "it-sigterm", NodeState.READY);
            long start = System.nanoTime();
            int code = agent.terminate(Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(0, code, agent.output().toString());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "stopped in " + took);

            Node node = c.get("it-sigterm");
            assertEquals(NodeState.NOT_READY, node.state());
            assertEquals(AgentClaim.AGENT_SHUTDOWN, node.status().condition(Condition.READY).orElseThrow().reason());
            assertEquals(1, agent.count(Pattern.compile("sent the last heartbeat")), agent.output() + " took " + took);
            assertFalse(agent.alive());
        }
    }
}
