package dev.cara.sdk;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.MemoryProjectStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectDeletionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static Project project(String name, ProjectPhase phase, String node) {
        return Project.builder(name).service("web", "nginx").build().withStatus(new ProjectStatus(phase, node, null));
    }

    @Test
    void whatADeleteDoesByPhase() {
        assertEquals(ProjectDeletion.REMOVE, ProjectDeletion.of(project("p", ProjectPhase.PENDING, null), false));
        assertEquals(ProjectDeletion.REMOVE, ProjectDeletion.of(project("p", ProjectPhase.FAILED, "w1"), false));
        assertEquals(ProjectDeletion.REMOVE, ProjectDeletion.of(project("p", ProjectPhase.TERMINATED, "w1"), false));
        assertEquals(ProjectDeletion.TERMINATE, ProjectDeletion.of(project("p", ProjectPhase.SCHEDULED, "w1"), false));
        assertEquals(ProjectDeletion.TERMINATE, ProjectDeletion.of(project("p", ProjectPhase.RUNNING, "w1"), false));
        assertEquals(ProjectDeletion.ALREADY_TERMINATING, ProjectDeletion.of(project("p", ProjectPhase.TERMINATING, "w1"), false));
        for (ProjectPhase phase : ProjectPhase.values()) {
            assertEquals(ProjectDeletion.REMOVE, ProjectDeletion.of(project("p", phase, "w1"), true), "force removes " + phase);
        }
        assertEquals(false, ProjectDeletion.REMOVE.accepted(), "204");
        assertTrue(ProjectDeletion.TERMINATE.accepted(), "202");
        assertTrue(ProjectDeletion.ALREADY_TERMINATING.accepted(), "202");
        assertTrue(ProjectDeletion.mayLeaveContainers(project("p", ProjectPhase.RUNNING, "w1")));
        assertEquals(false, ProjectDeletion.mayLeaveContainers(project("p", ProjectPhase.PENDING, null)));
    }

    @Test
    void terminatingKeepsTheNodeAndSaysWhy() {
        ProjectStatus s = ProjectDeletion.terminate(project("p", ProjectPhase.RUNNING, "w1"), ProjectDeletion.DELETED, "deleted by a client", NOW);
        assertEquals(ProjectPhase.TERMINATING, s.phase());
        assertEquals("w1", s.nodeRef());
        assertEquals(ProjectDeletion.DELETED, s.condition(ProjectStatus.PHASE).orElseThrow().reason());
        assertThrows(ConflictException.class, () -> ProjectDeletion.terminate(project("p", ProjectPhase.PENDING, null), "Deleted", null, NOW));
    }

    @Test
    void theNodeGuardBlocksOnlyWhileProjectsHoldTheNode() {
        try (MemoryProjectStore store = MemoryProjectStore.create()) {
            ProjectDeletionGuard guard = new ProjectDeletionGuard(store);
            Node w1 = Node.builder("w1").build();
            assertEquals(Optional.empty(), guard.blockingReason(w1));
            store.create(project("idle", ProjectPhase.PENDING, null));
            store.create(project("broken", ProjectPhase.PENDING, null));
            store.updateStatus("broken", p -> new ProjectStatus(ProjectPhase.FAILED, "w1", null), Fence.NONE);
            assertEquals(Optional.empty(), guard.blockingReason(w1), "Pending and Failed projects do not block");
            store.create(project("web", ProjectPhase.RUNNING, "w1"));
            assertEquals(Optional.of("1 project is assigned to node \"w1\": web (Running); delete them (or wait until they are"
                    + " Terminated) before deleting the node"), guard.blockingReason(w1));
            store.create(project("api", ProjectPhase.SCHEDULED, "w1"));
            store.create(project("db", ProjectPhase.TERMINATING, "w1"));
            store.create(project("zz", ProjectPhase.RUNNING, "w1"));
            store.create(project("other", ProjectPhase.RUNNING, "w2"));
            String reason = guard.blockingReason(w1).orElseThrow();
            assertTrue(reason.startsWith("4 projects are assigned to node \"w1\": api (Scheduled), db (Terminating), web (Running)"
                    + " and 1 more;"), reason);
            assertEquals(Optional.empty(), guard.blockingReason(Node.builder("w3").build()));
        }
    }
}
