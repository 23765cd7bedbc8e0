package dev.cara.agent;

import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A project's whole life with a real server and a real agent process (simulated runtime): created
 * Pending, bound to the agent's node, reported Running by the agent, deleted (Terminating), torn down
 * and reported Terminated by the agent, then removed by the server.
 */
class ProjectLifecycleIT {
    @TempDir
    Path work;

    @Test
    void appliedProjectRunsOnTheAgentAndADeleteTearsItDownAndRemovesIt() throws Exception {
        try (ProjectFleet fleet = ProjectFleet.start(work, "5s")) {
            ChildProcess agent = fleet.agent("life-1");
            fleet.client.createProject(Project.builder("web").service("web", "nginx:alpine").build());

            Project running = fleet.awaitPhase("web", ProjectPhase.RUNNING);
            assertEquals("life-1", running.status().nodeRef());
            assertEquals("Started", running.status().condition(ProjectStatus.PHASE).orElseThrow().reason());

            ProjectDeleteOutcome outcome = fleet.client.deleteProject("web", false);
            assertInstanceOf(ProjectDeleteOutcome.Terminating.class, outcome, "it runs somewhere: the agent must tear it down first");
            fleet.awaitRemoved("web");
            agent.awaitLine(java.util.regex.Pattern.compile("project \"web\": reported Terminated"), ProjectFleet.SOON); // logged after the pass

            List<String> seen = new ArrayList<>(fleet.phasesSeen("web"));
            seen.remove("Terminated"); // the server may remove the record before the watch shows the phase
            assertEquals(List.of("Pending", "Scheduled", "Running", "Terminating", "Removed"), seen, fleet.events.toString());
            List<String> lines = ProjectFleet.linesAbout(agent, "web");
            assertEquals(1, lines.stream().filter(l -> l.contains("starting its services on the simulated runtime")).count(), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("reported Running (Started)")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("torn down")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("reported Terminated (TornDown)")), lines.toString());
            assertEquals(List.of(), agent.output().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList());
        }
    }

    @Test
    void anAgentWithoutDockerStillHeartbeatsAndReportsItsProjectsFailedNamingTheSocketAndTheFix() throws Exception {
        try (ProjectFleet fleet = ProjectFleet.start(work, "5s")) {
            String socket = work.resolve("no-docker-here.sock").toString();
            ChildProcess agent = fleet.agent("nodocker-1", "--runtime", "docker", "--docker-socket", socket);
            agent.awaitLine(java.util.regex.Pattern.compile("(the Docker daemon does not answer on " + java.util.regex.Pattern.quote(socket) + ")"),
                    ProjectFleet.SOON);
            fleet.client.createProject(Project.builder("stuck").service("web", "nginx:alpine").build());

            Project failed = fleet.awaitPhase("stuck", ProjectPhase.FAILED);
            dev.cara.sdk.Condition why = failed.status().condition(ProjectStatus.PHASE).orElseThrow();
            assertEquals("RuntimeUnavailable", why.reason());
            assertTrue(why.message().contains(socket) && why.message().contains("--docker-socket")
                    && why.message().contains("--runtime simulated"), why.message());
            assertEquals(dev.cara.sdk.NodeState.READY, fleet.client.get("nodocker-1").state(), "it still heartbeats");
        }
    }
}
