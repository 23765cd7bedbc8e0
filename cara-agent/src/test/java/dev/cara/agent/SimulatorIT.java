package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator as a user runs it, against a real server: a few hundred hollow agents for a few seconds. */
class SimulatorIT {
    private static final int NODES = 200;
    private static final int INTERVAL_SECONDS = 2;
    private static final int SECONDS = 10;

    @TempDir
    Path work;

    @Test
    void hollowAgentsRegisterHeartbeatAndTheCountsAddUp() throws Exception {
        try (ChildProcess server = ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(),
                List.of("--host", "127.0.0.1", "--port", "0", "--store", "memory:", "--auth", "none", "--heartbeat-timeout", "1m"))) {
            String url = AgentIT.url(server);
            Path report = work.resolve("report.json");
            try (ChildProcess sim = ChildProcess.start("simulator", work, ChildProcess.agentJar(), Map.of(), List.of("simulate",
                    "--nodes", String.valueOf(NODES), "--interval", INTERVAL_SECONDS + "s", "--duration", SECONDS + "s", "--progress", "2s",
                    "--request-timeout", "60s",
                    "--server", url, "--prefix", "simit", "--report-json", report.toString()))) {
                assertEquals(0, sim.awaitExit(Duration.ofSeconds(120)), sim.output().toString());
                assertTrue(sim.count(Pattern.compile("^\\[\\s*\\d+s\\] registered")) >= 2, "progress while it runs: " + sim.output());
                assertTrue(sim.count(Pattern.compile("== simulation summary ==")) == 1, sim.output().toString());
                assertTrue(sim.find(Pattern.compile("heartbeat latency:\\s+p50 .* ms, p99 .* ms, max .* ms")).isPresent());
            }

            JsonObject r = JsonTrees.object(Files.readString(report, StandardCharsets.UTF_8));
            assertEquals(NODES, r.getInt("nodes"));
            assertEquals(NODES, r.getInt("registered") + r.getInt("alreadyRegistered"));
            assertEquals(NODES, r.getInt("nodesReporting"), "every hollow agent heartbeated");
            assertEquals(0, r.getInt("errorCount"), r.toString());
            long beats = r.getJsonNumber("heartbeats").longValue();
            // Each agent starts within the first interval and then beats every 0.9-1.1 intervals: at most
            // SECONDS / (0.9 * INTERVAL) + 1 each. A slow machine may achieve fewer, but never fewer than one each.
            long most = NODES * (long) Math.ceil(SECONDS / (0.9 * INTERVAL_SECONDS) + 1);
            assertTrue(beats >= NODES && beats <= most, "heartbeats " + beats + ", at most " + most);
            assertEquals(beats / r.getJsonNumber("elapsedSeconds").doubleValue(), r.getJsonNumber("heartbeatsPerSecond").doubleValue(), 1e-6);
            assertEquals(NODES / (double) INTERVAL_SECONDS, r.getJsonNumber("expectedHeartbeatsPerSecond").doubleValue(), 1e-9);
            double p99 = r.getJsonObject("heartbeatLatencyMs").getJsonNumber("p99").doubleValue();
            double max = r.getJsonObject("heartbeatLatencyMs").getJsonNumber("max").doubleValue();
            assertTrue(p99 > 0 && p99 <= max, r.toString());

            try (CaraClient client = CaraClient.http(URI.create(url))) {
                NodeList simulated = client.list(LabelSelector.parse("cara.dev/simulated=true"));
                assertEquals(NODES, simulated.items().size());
                long ready = simulated.items().stream().map(Node::state).filter(s -> s == NodeState.READY).count();
                assertEquals(NODES, ready, "each hollow agent claimed Ready in its first heartbeat");
                Node one = simulated.items().get(0);
                assertTrue(one.name().startsWith("simit-"));
                assertEquals(3, one.status().capacity().amounts().size(), "a realistic report: " + one.status());
            }
        }
    }

    /** The hollow agents run the projects bound to them: Running, then Terminated after a delete, counted in the summary. */
    @Test
    void hollowAgentsRunTheirProjectsThroughTheWholeLifecycle() throws Exception {
        try (ChildProcess server = ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(),
                List.of("--host", "127.0.0.1", "--port", "0", "--store", "memory:", "--auth", "none", "--heartbeat-timeout", "1m"));
             CaraClient client = CaraClient.http(URI.create(AgentIT.url(server)))) {
            Path report = work.resolve("projects.json");
            try (ChildProcess sim = ChildProcess.start("simulator", work, ChildProcess.agentJar(), Map.of(), List.of("simulate",
                    "--nodes", "5", "--interval", "1s", "--duration", "40s", "--ramp", "0s", "--reconcile-interval", "2s",
                    "--server", AgentIT.url(server), "--prefix", "simproj", "--report-json", report.toString()))) {
                dev.cara.sdk.testkit.Eventually.await(Duration.ofSeconds(30), "5 hollow agents Ready", () -> client.list(
                        LabelSelector.parse("cara.dev/simulated=true")).items().stream().filter(n -> n.state() == NodeState.READY).count() == 5);
                for (String name : List.of("p1", "p2", "p3")) {
                    client.createProject(dev.cara.sdk.Project.builder(name).service("web", "nginx:alpine").build());
                }
                for (String name : List.of("p1", "p2", "p3")) {
                    dev.cara.sdk.Project running = dev.cara.sdk.testkit.Eventually.await(Duration.ofSeconds(30), name + " Running",
                            () -> client.getProject(name), p -> p.phase() == dev.cara.sdk.ProjectPhase.RUNNING);
                    assertTrue(running.status().nodeRef().startsWith("simproj-"), running.toString());
                }
                client.deleteProject("p1", false);
                dev.cara.sdk.testkit.Eventually.await(Duration.ofSeconds(30), "p1 torn down and removed",
                        () -> client.listProjects().items().stream().noneMatch(p -> p.name().equals("p1")));
                assertEquals(0, sim.awaitExit(Duration.ofSeconds(120)), sim.output().toString());
                assertTrue(sim.find(Pattern.compile("project reports:\\s+Running 3, Terminated 1")).isPresent(), sim.output().toString());
            }
            JsonObject r = JsonTrees.object(Files.readString(report, StandardCharsets.UTF_8));
            assertEquals(3, r.getJsonObject("projectReports").getInt("Running"), r.toString());
            assertEquals(0, r.getInt("errorCount"), r.toString());
        }
    }

    /**
     * All agents at once (--ramp 0s): the registration time of the whole fleet, then the server's CPU
     * per steady-state heartbeat and its RSS, read once from /proc (--server-pid) and once from the
     * server's own metrics (--server-metrics).
     */
    @Test
    void theSimulatorReportsRegistrationTimeAndTheServersCpuPerHeartbeatAndRss() throws Exception {
        try (ChildProcess server = ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(),
                List.of("--host", "127.0.0.1", "--port", "0", "--store", "memory:", "--auth", "none", "--heartbeat-timeout", "1m"))) {
            String url = AgentIT.url(server);
            for (List<String> source : List.of(List.of("--server-pid", String.valueOf(server.pid())), List.of("--server-metrics"))) {
                Path report = work.resolve("cost.json");
                // Few nodes and a short interval: on a busy machine 200 registrations took 9 s, longer than
                // the run, and a run that never reaches its steady state has no server figures.
                List<String> args = new java.util.ArrayList<>(List.of("simulate", "--nodes", "20",
                        "--interval", "1s", "--duration", "15s", "--ramp", "0s", "--request-timeout", "60s",
                        "--server", url, "--prefix", "cost" + source.size(), "--report-json", report.toString()));
                args.addAll(source);
                try (ChildProcess sim = ChildProcess.start("simulator", work, ChildProcess.agentJar(), Map.of(), args)) {
                    assertEquals(0, sim.awaitExit(Duration.ofSeconds(120)), sim.output().toString());
                    assertTrue(sim.find(Pattern.compile("server CPU:\\s+[\\d.]+ us per heartbeat")).isPresent(), sim.output().toString());
                    assertTrue(sim.find(Pattern.compile("registration:\\s+all 20 nodes in [\\d.]+ s")).isPresent(), sim.output().toString());
                }
                JsonObject r = JsonTrees.object(Files.readString(report, StandardCharsets.UTF_8));
                double registration = r.getJsonNumber("registrationSeconds").doubleValue();
                assertTrue(registration > 0 && registration < 15, r.toString());
                JsonObject cost = r.getJsonObject("server");
                assertTrue(cost.getJsonNumber("heartbeats").longValue() > 0, r.toString());
                assertTrue(cost.getJsonNumber("cpuMicrosPerHeartbeat").doubleValue() > 0, r.toString());
                assertTrue(cost.getJsonNumber("rssBytes").longValue() > 16L << 20, "a JVM's RSS is more than 16 MiB: " + r);
            }
        }
    }

    /** --steady ends the run once the steady state has lasted that long, well before a long --duration. */
    @Test
    void steadyEndsTheRunOnceTheSteadyStateHasLastedThatLong() throws Exception {
        try (ChildProcess server = ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(),
                List.of("--host", "127.0.0.1", "--port", "0", "--store", "memory:", "--auth", "none", "--heartbeat-timeout", "1m"))) {
            Path report = work.resolve("steady.json");
            try (ChildProcess sim = ChildProcess.start("simulator", work, ChildProcess.agentJar(), Map.of(), List.of("simulate",
                    "--nodes", "20", "--interval", "1s", "--duration", "10m", "--steady", "2s", "--ramp", "0s",
                    "--request-timeout", "60s", "--server-pid", String.valueOf(server.pid()),
                    "--server", AgentIT.url(server), "--prefix", "steady", "--report-json", report.toString()))) {
                assertEquals(0, sim.awaitExit(Duration.ofSeconds(120)), sim.output().toString());
            }
            JsonObject r = JsonTrees.object(Files.readString(report, StandardCharsets.UTF_8));
            double elapsed = r.getJsonNumber("elapsedSeconds").doubleValue();
            assertTrue(elapsed >= 3 && elapsed < 120, "registration, one interval, then two seconds of steady state: " + r);
            assertTrue(r.getJsonObject("server").getJsonNumber("heartbeats").longValue() > 0, r.toString());
        }
    }
}
