package dev.cara.agent;

import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A project with expireAt a few seconds ahead: Terminating at expiry, torn down by the agent, removed; never Running again. */
class ProjectExpiryIT {
    @TempDir
    Path work;

    @Test
    void anExpiredProjectIsTornDownAndRemovedAndNeverRunsAfterItsExpiry() throws Exception {
        try (ProjectFleet fleet = ProjectFleet.start(work, "5s")) {
            ChildProcess agent = fleet.agent("expiry-1");
            Instant expireAt = Instant.now().plus(Duration.ofSeconds(6));
            fleet.client.createProject(Project.builder("brief").service("web", "nginx:alpine").expireAt(expireAt).build());

            fleet.awaitPhase("brief", ProjectPhase.RUNNING);
            fleet.awaitRemoved("brief");
            assertTrue(!Instant.now().isBefore(expireAt), "removed only after its expiry");

            List<String> seen = fleet.phasesSeen("brief");
            int terminating = seen.indexOf("Terminating");
            assertTrue(terminating > 0, "it went Terminating: " + seen);
            assertTrue(seen.subList(terminating, seen.size()).stream().allMatch(p -> List.of("Terminating", "Terminated", "Removed").contains(p)),
                    "never Running after expiry: " + seen);
            assertEquals("Removed", seen.getLast());
            agent.awaitLine(java.util.regex.Pattern.compile("project \"brief\": reported Terminated \\(TornDown\\)"), ProjectFleet.SOON);
        }
    }
}
