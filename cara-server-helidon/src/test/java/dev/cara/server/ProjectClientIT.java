package dev.cara.server;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cases of the testkit's {@code HttpClientProjectContract}, which there run against a
 * scripted server, here against the real one: the SDK's HTTP client, unchanged, over every project
 * route, with the answers and typed exceptions the contract expects.
 */
class ProjectClientIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static ServerProcess server;
    static CaraClient client;

    @BeforeAll
    static void start() throws Exception {
        server = ProjectCalls.startServer(dir, "none");
        client = CaraClient.httpBuilder().baseUrl(URI.create(ProjectCalls.url(server))).build();
        client.register(Node.builder("cl-w1").label("pool", "cl").hostname("cl-w1.lan").build());
        client.heartbeat("cl-w1", new HeartbeatReport(NodeState.READY, null, null,
                ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")), null, null));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Project project(String name, String pool) {
        return Project.builder(name).label("suite", "client").service("web", "nginx:alpine").request("cpu", "100m")
                .nodeSelector("pool", pool).build();
    }

    private static Project awaitPhase(String name, ProjectPhase phase) {
        return Eventually.await(WAIT, name + " " + phase, () -> client.getProject(name), p -> p.phase() == phase);
    }

    @Test
    void createGetUpdateAndListThroughTheClient() {
        Project created = client.createProject(project("cl-web", "cl"));
        assertEquals(ProjectPhase.PENDING, created.phase());
        Project bound = awaitPhase("cl-web", ProjectPhase.SCHEDULED);
        assertEquals("cl-w1", bound.status().nodeRef());
        Project relabelled = client.updateProject(bound.withMetadata(bound.metadata().withLabels(Map.of("suite", "client", "v", "2"))));
        assertEquals("2", relabelled.metadata().labels().get("v"));

        client.createProject(project("cl-waiting", "cl-none"));
        assertEquals(List.of("cl-waiting", "cl-web"), client.listProjects(new ProjectFilter(
                Set.of(ProjectPhase.PENDING, ProjectPhase.SCHEDULED), null, LabelSelector.parse("suite=client")))
                .items().stream().map(Project::name).filter(n -> n.equals("cl-web") || n.equals("cl-waiting")).toList());
        assertEquals(List.of("cl-web"), client.listProjects(ProjectFilter.onNode("cl-w1")).items().stream()
                .map(Project::name).filter(n -> n.equals("cl-web")).toList());
    }

    @Test
    void deleteTellsRemovedFromTerminating() {
        client.createProject(project("cl-gone", "cl-none"));
        assertEquals(new ProjectDeleteOutcome.Removed("cl-gone"), client.deleteProject("cl-gone", false));

        client.createProject(project("cl-stop", "cl"));
        awaitPhase("cl-stop", ProjectPhase.SCHEDULED);
        ProjectDeleteOutcome.Terminating t = assertInstanceOf(ProjectDeleteOutcome.Terminating.class,
                client.deleteProject("cl-stop", false));
        assertEquals(ProjectPhase.TERMINATING, t.project().phase());
        assertTrue(client.deleteProject("cl-stop", false).accepted());
        assertEquals(new ProjectDeleteOutcome.Removed("cl-stop"), client.deleteProject("cl-stop", true));
    }

    @Test
    void reportsAndProblemsBecomeProjectsAndTypedExceptions() {
        client.createProject(project("cl-run", "cl"));
        awaitPhase("cl-run", ProjectPhase.SCHEDULED);
        Project running = client.reportProjectStatus("cl-run", new ProjectStatusReport(ProjectPhase.RUNNING, "Started", "1 service up"));
        assertEquals(ProjectPhase.RUNNING, running.phase());

        assertEquals("cl-nosuch", assertThrows(NotFoundException.class, () -> client.deleteProject("cl-nosuch", false)).name());
        assertInstanceOf(AlreadyExistsException.class, assertThrows(ConflictException.class,
                () -> client.createProject(project("cl-run", "cl"))));
        Project changed = Project.builder("cl-run").service("web", "nginx:2").build()
                .withMetadata(running.metadata());
        ConflictException frozen = assertThrows(ConflictException.class, () -> client.updateProject(changed));
        assertTrue(frozen.getMessage().contains("Running"), frozen.getMessage());
        ConflictException step = assertThrows(ConflictException.class, () -> client.reportProjectStatus("cl-run",
                new ProjectStatusReport(ProjectPhase.TERMINATED, null, null)));
        assertTrue(step.getMessage().contains("Running") && step.getMessage().contains("Terminated"), step.getMessage());
        assertThrows(InvalidException.class, () -> client.getProject("Web_1"));
    }

    @Test
    void watchProjectsStreamsAddedModifiedAndDeleted() {
        List<ProjectWatchEvent> events = new CopyOnWriteArrayList<>();
        try (Watch w = client.watchProjects(new ProjectFilter(Set.of(), null, LabelSelector.parse("suite=watched")),
                events::add, reason -> { })) {
            Project p = Project.builder("cl-watched").label("suite", "watched").service("web", "nginx:alpine")
                    .nodeSelector("pool", "cl").build();
            client.createProject(p);
            awaitPhase("cl-watched", ProjectPhase.SCHEDULED);
            client.deleteProject("cl-watched", true);
            Eventually.await(WAIT, "ADDED, MODIFIED and DELETED", () -> events.stream().map(ProjectWatchEvent::type)
                    .toList().containsAll(List.of(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED)));
            assertEquals(WatchEvent.Type.ADDED, events.get(0).type());
            assertEquals(WatchEvent.Type.DELETED, events.get(events.size() - 1).type());
            assertTrue(events.stream().allMatch(e -> e.object().name().equals("cl-watched")), events.toString());
        }
    }
}
