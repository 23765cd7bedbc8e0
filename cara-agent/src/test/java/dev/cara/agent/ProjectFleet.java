package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import dev.cara.sdk.testkit.Eventually;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The project ITs' fleet: a real server process ({@code --auth none}, memory store, a short heartbeat
 * timeout, so that the rescheduling grace of 3x the timeout passes within seconds), real agent
 * processes on the simulated runtime, an HTTP client, and a project watch that records every event,
 * so a test can say in which order the phases came. Close it: that kills every process it started.
 */
final class ProjectFleet implements AutoCloseable {
    static final Duration SOON = Duration.ofSeconds(60); // generous: the build machine is shared

    private final Path work;
    final ChildProcess server;
    final String url;
    final CaraClient client;
    private final List<ChildProcess> agents = new ArrayList<>();
    /** Every project event since the fleet started, in order; written by the watch's thread. */
    final List<ProjectWatchEvent> events = new CopyOnWriteArrayList<>();
    private final Watch watch;

    private ProjectFleet(Path work, String heartbeatTimeout) throws IOException {
        this.work = work;
        this.server = ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(), List.of("--host", "127.0.0.1",
                "--port", "0", "--store", "memory:", "--auth", "none", "--heartbeat-timeout", heartbeatTimeout));
        this.url = AgentIT.url(server);
        this.client = CaraClient.http(URI.create(url));
        this.watch = client.watchProjects(ProjectFilter.ALL, events::add, reason -> { });
    }

    static ProjectFleet start(Path work, String heartbeatTimeout) throws IOException {
        return new ProjectFleet(work, heartbeatTimeout);
    }

    /** An agent for {@code node} on the simulated runtime (unless {@code extra} names another), beating every second, reconciling every 2 s; waits until Ready. */
    ChildProcess agent(String node, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--server", url, "--node-name", node, "--listen-address", "127.0.0.1",
                "--listen-port", "0", "--heartbeat-interval", "1s", "--reconcile-interval", "2s"));
        if (!List.of(extra).contains("--runtime")) {
            args.addAll(List.of("--runtime", "simulated"));
        }
        args.addAll(List.of(extra));
        ChildProcess agent = ChildProcess.start("agent-" + node, work, ChildProcess.agentJar(), Map.of(), args);
        agents.add(agent);
        Eventually.await(SOON, node + " Ready", () -> nodeState(node), s -> s == NodeState.READY);
        return agent;
    }

    private NodeState nodeState(String node) {
        try {
            return client.get(node).state();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** The project's phase now, or null once it is removed. */
    ProjectPhase phase(String project) {
        try {
            return client.getProject(project).phase();
        } catch (NotFoundException e) {
            return null;
        }
    }

    Project awaitPhase(String project, ProjectPhase phase) {
        Eventually.await(SOON, project + " " + phase + " (events so far: " + events.size() + ")", () -> phase(project), p -> p == phase);
        return client.getProject(project);
    }

    void awaitRemoved(String project) {
        Eventually.await(SOON, project + " removed", () -> phase(project) == null && removedEvent(project));
    }

    private boolean removedEvent(String project) {
        return events.stream().anyMatch(e -> e.type() == WatchEvent.Type.DELETED && e.object().name().equals(project));
    }

    /** The phases the watch showed for {@code project}, repeats folded, "Removed" for its DELETED event. */
    List<String> phasesSeen(String project) {
        List<String> out = new ArrayList<>();
        for (ProjectWatchEvent e : events) {
            if (!e.object().name().equals(project)) {
                continue;
            }
            String phase = e.type() == WatchEvent.Type.DELETED ? "Removed" : e.object().phase().wireName();
            if (out.isEmpty() || !out.getLast().equals(phase)) {
                out.add(phase);
            }
        }
        return out;
    }

    /** The agent's log lines that speak of the project (its starts, reports and teardowns). */
    static List<String> linesAbout(ChildProcess agent, String project) {
        return agent.output().stream().filter(l -> l.contains("project \"" + project + "\"")).toList();
    }

    @Override
    public void close() {
        watch.close();
        agents.forEach(ChildProcess::close);
        client.close();
        server.close();
    }
}
