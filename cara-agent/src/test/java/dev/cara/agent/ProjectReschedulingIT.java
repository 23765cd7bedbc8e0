package dev.cara.agent;

import dev.cara.sdk.Condition;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two agents; the one that runs the project is killed (kill -9). With a 2 s heartbeat timeout its node
 * turns NotReady at once, and after the rescheduling grace (3x the timeout: 6 s) the server returns the
 * project to Pending with a condition that says why, binds it to the other node, whose agent runs it.
 */
class ProjectReschedulingIT {
    @TempDir
    Path work;

    @Test
    void aProjectWhoseAgentDiedGoesBackToPendingAndRunsOnTheOtherNode() throws Exception {
        try (ProjectFleet fleet = ProjectFleet.start(work, "2s")) {
            Map<String, ChildProcess> agents = Map.of("move-1", fleet.agent("move-1"), "move-2", fleet.agent("move-2"));
            fleet.client.createProject(Project.builder("mover").service("web", "nginx:alpine").build());
            String first = fleet.awaitPhase("mover", ProjectPhase.RUNNING).status().nodeRef();
            String other = first.equals("move-1") ? "move-2" : "move-1";

            agents.get(first).kill();
            Project moved = Eventually.await(ProjectFleet.SOON, "mover Running on " + other, () -> fleet.client.getProject("mover"),
                    p -> p.phase() == ProjectPhase.RUNNING && other.equals(p.status().nodeRef()));
            assertNotEquals(first, moved.status().nodeRef());

            Optional<ProjectWatchEvent> pending = fleet.events.stream()
                    .filter(e -> e.object().name().equals("mover") && e.object().phase() == ProjectPhase.PENDING
                            && e.object().status().condition(ProjectStatus.PHASE).isPresent())
                    .reduce((a, b) -> b);
            assertTrue(pending.isPresent(), "it went back to Pending: " + fleet.phasesSeen("mover"));
            Condition why = pending.get().object().status().condition(ProjectStatus.PHASE).orElseThrow();
            assertTrue(why.message().contains(first), "the condition names the node it left: " + why);
            assertEquals(java.util.List.of("Pending", "Scheduled", "Running", "Pending", "Scheduled", "Running"), fleet.phasesSeen("mover"));
            agents.get(other).awaitLine(java.util.regex.Pattern.compile("project \"mover\": reported Running"), ProjectFleet.SOON);
        }
    }
}
