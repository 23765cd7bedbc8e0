package dev.cara.agent;

import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent killed and started again rebuilds its view from the server and its runtime: it adopts the
 * project that still runs (the simulated runtime keeps its containers in --simulated-state, as
 * Docker keeps its own), does not start it again, and the project stays Running throughout.
 */
class ProjectAgentRestartIT {
    @TempDir
    Path work;

    @Test
    void aRestartedAgentAdoptsTheRunningProjectAndDoesNotStartItTwice() throws Exception {
        // A heartbeat timeout long enough that the restart never makes the node NotReady long enough to reschedule.
        try (ProjectFleet fleet = ProjectFleet.start(work, "20s")) {
            String state = work.resolve("restart-1.state").toString();
            ChildProcess first = fleet.agent("restart-1", "--simulated-state", state);
            fleet.client.createProject(Project.builder("kept").service("web", "nginx:alpine").build());
            fleet.awaitPhase("kept", ProjectPhase.RUNNING);
            // The agent logs a pass's steps once the pass is over, so the lines may trail the server's state.
            first.awaitLine(Pattern.compile("project \"kept\": reported Running"), ProjectFleet.SOON);
            assertEquals(1, first.count(Pattern.compile("project \"kept\": starting its services")), first.output().toString());

            first.kill();
            ChildProcess second = fleet.agent("restart-1", "--simulated-state", state);
            second.awaitLine(Pattern.compile("(adopted what already runs: kept)"), ProjectFleet.SOON);
            // Time for several resync passes (every 2 s), measured by the new agent's own heartbeats (one a
            // second), not by a sleep.
            dev.cara.sdk.testkit.Eventually.await(ProjectFleet.SOON, "six heartbeats of the restarted agent",
                    () -> AgentIT.healthz(second).getJsonNumber("heartbeats").longValue(), n -> n >= 6);
            fleet.awaitPhase("kept", ProjectPhase.RUNNING);

            List<String> lines = ProjectFleet.linesAbout(second, "kept");
            assertTrue(lines.stream().noneMatch(l -> l.contains("starting its services")), "not started twice: " + lines);
            assertEquals(List.of("Pending", "Scheduled", "Running"), fleet.phasesSeen("kept"), "Running throughout: " + fleet.events);
        }
    }
}
