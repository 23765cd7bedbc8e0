package dev.cara.agent;

import dev.cara.sdk.ConflictException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node cannot be deleted while a project runs on it (409 naming the project); once the project is gone it can. */
class ProjectDeleteGuardIT {
    @TempDir
    Path work;

    @Test
    void nodeDeleteIsRefusedNamingTheProjectUntilTheProjectIsGone() throws Exception {
        try (ProjectFleet fleet = ProjectFleet.start(work, "5s")) {
            fleet.agent("guard-1");
            fleet.client.createProject(Project.builder("guarded").service("web", "nginx:alpine").build());
            fleet.awaitPhase("guarded", ProjectPhase.RUNNING);

            ConflictException refused = assertThrows(ConflictException.class, () -> fleet.client.delete("guard-1"));
            assertTrue(refused.getMessage().contains("guarded"), refused.getMessage());
            assertEquals("guard-1", fleet.client.get("guard-1").name(), "still there");

            fleet.client.deleteProject("guarded", false);
            fleet.awaitRemoved("guarded");
            fleet.client.delete("guard-1");
            assertThrows(NotFoundException.class, () -> fleet.client.get("guard-1"));
        }
    }
}
