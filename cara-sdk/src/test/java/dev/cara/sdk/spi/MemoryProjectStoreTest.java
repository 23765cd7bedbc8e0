package dev.cara.sdk.spi;

import dev.cara.sdk.Project;
import dev.cara.sdk.testkit.ProjectStoreContract;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The in-memory project store runs the whole project contract, plus its bounded history. */
class MemoryProjectStoreTest extends ProjectStoreContract {

    @Override
    protected ProjectStore newStore() {
        return MemoryProjectStore.create();
    }

    @Test
    void changesOlderThanTheHistoryAreGone() {
        try (MemoryProjectStore small = MemoryProjectStore.withHistory(2)) {
            for (int i = 0; i < 4; i++) {
                small.create(project("web-" + i));
            }
            assertEquals(List.of(3L, 4L), small.changesSince(2, 10).stream().map(ProjectChange::revision).toList());
            assertEquals(3, assertThrows(HistoryGoneException.class, () -> small.changesSince(1, 10)).oldestAvailable());
            assertThrows(HistoryGoneException.class, () -> small.changesSince(40, 10),
                    "a revision this store never reached is gone, not silently empty");
            assertEquals(List.of("web-0", "web-1", "web-2", "web-3"), small.list().projects().stream().map(Project::name).toList());
        }
        assertThrows(IllegalArgumentException.class, () -> MemoryProjectStore.withHistory(0));
    }
}
