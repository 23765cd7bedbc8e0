package dev.cara.agent;

import dev.cara.agent.spi.SimulatedRuntime;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's project wiring (ClientAssignedProjects, ProjectWatcher, ProjectLoop) and the
 * simulator's (FleetProjects over MeasuringClient) against a real control plane in this JVM. The
 * control plane's controllers run on fake time and manual ticks (each probe ticks and pumps the
 * watches); the project watch delivers on its
 * own thread, so the agent's side runs on a real executor, and the test waits for what the watch
 * brings with a deadline. The resync interval is an hour: every pass here is one a project event asked for.
 */
class AgentProjectsControlPlaneTest {
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final Duration RESYNC = Duration.ofHours(1);

    private final FakeTime time = new FakeTime();
    private final ControlPlane cp = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time)
            .heartbeatTimeout(Duration.ofSeconds(90)).manualTicks(true).build().start();
    private final CaraClient client = CaraClient.inProcess(cp);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final TaskScheduler scheduler = TaskScheduler.of(executor);
    private final CapturedLog captured = new CapturedLog();
    private final Logger log = captured.logger;

    @AfterEach
    void close() {
        executor.shutdownNow();
        cp.close();
    }

    private void readyNode(String name) {
        cp.register(Node.builder(name).build());
        ResourceList alloc = ResourceList.parse(Map.of("cpu", "2", "memory", "4Gi"));
        cp.heartbeat(name, new HeartbeatReport(NodeState.READY, null, alloc, alloc, null, null));
    }

    // Manual ticks: the test runs the controllers (binding, removal of Terminated records) and feeds the
    // watches itself, each time it looks.
    private ProjectPhase phase(String project) {
        cp.tick();
        cp.pumpWatches();
        try {
            return client.getProject(project).phase();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private void awaitPhase(String project, ProjectPhase phase) {
        try {
            Eventually.await(SOON, project + " " + phase, () -> phase(project), p -> p == phase);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; agent log " + captured.lines(), e);
        }
    }

    @Test
    void theAgentRunsWhatTheWatchBindsToItsNodeAndTearsDownWhatIsDeleted() {
        readyNode("w1");
        SimulatedRuntime runtime = SimulatedRuntime.builder(Ticker.system()).build();
        ClientAssignedProjects assigned = new ClientAssignedProjects(client, "w1");
        ProjectLoop loop = ProjectLoop.builder().runtime(runtime).assigned(assigned).scheduler(scheduler)
                .interval(RESYNC).node("w1").logger(log).build();
        ProjectWatcher watcher = new ProjectWatcher(client, assigned.filter(), e -> loop.poke(), scheduler, RESYNC, log);
        loop.start();
        watcher.start();

        client.createProject(Project.builder("web").service("web", "nginx:alpine").build());
        cp.tick(); // the scheduler binds it to w1
        awaitPhase("web", ProjectPhase.RUNNING);
        assertEquals(List.of("cara-web-web"), runtime.containers());
        assertEquals("Started", client.getProject("web").status().condition(ProjectStatus.PHASE).orElseThrow().reason());

        client.deleteProject("web", false);
        Eventually.await(SOON, "web torn down and removed", () -> phase("web") == null && runtime.containers().isEmpty());
        watcher.stop();
        loop.stop();
    }

    @Test
    void theSimulatedFleetRunsProjectsBehindOneWatchAndCountsItsReports() {
        readyNode("sim-0");
        readyNode("sim-1");
        readyNode("real-agent");
        cp.setUnschedulable("real-agent", true);
        MeasuringClient measured = new MeasuringClient(client, Ticker.system(), 16);
        FleetProjects fleet = new FleetProjects(measured, Set.of("sim-0", "sim-1"), scheduler, Ticker.system(), RESYNC, log);
        fleet.start();

        client.createProject(Project.builder("a").service("web", "nginx:alpine").request("cpu", "2").build());
        client.createProject(Project.builder("b").service("web", "nginx:alpine").request("cpu", "2").build());
        cp.tick();
        awaitPhase("a", ProjectPhase.RUNNING);
        awaitPhase("b", ProjectPhase.RUNNING);
        String nodeOfA = client.getProject("a").status().nodeRef();
        String nodeOfB = client.getProject("b").status().nodeRef();
        assertEquals(Set.of("sim-0", "sim-1"), Set.of(nodeOfA, nodeOfB), "2 cpu each: one project per node");
        assertEquals(List.of("cara-a-web"), fleet.runtimeOf(nodeOfA).containers(), "each node runs only its own");
        assertEquals(List.of("cara-b-web"), fleet.runtimeOf(nodeOfB).containers());

        client.deleteProject("a", false);
        Eventually.await(SOON, "a removed", () -> phase("a") == null && fleet.runtimeOf(nodeOfA).containers().isEmpty());
        assertEquals(List.of("cara-b-web"), fleet.runtimeOf(nodeOfB).containers());
        assertEquals(Map.of("Running", 2L, "Terminated", 1L), measured.projectReports());
        assertEquals(0, measured.errorCount(), measured.errors().toString());
        assertNull(fleet.runtimeOf("real-agent"), "a node outside the simulated fleet is not run");
        fleet.stop();
    }

    @Test
    void measuringClientForwardsEveryProjectCall() {
        readyNode("w1");
        MeasuringClient measured = new MeasuringClient(client, Ticker.system(), 4);
        measured.createProject(Project.builder("p").service("web", "nginx:alpine").build());
        assertEquals("p", measured.getProject("p").name());
        assertEquals(1, measured.listProjects().items().size());
        assertTrue(measured.deleteProject("p", false) instanceof dev.cara.sdk.ProjectDeleteOutcome.Removed);
        assertThrows(NotFoundException.class, () -> measured.getProject("p"));
    }
}
