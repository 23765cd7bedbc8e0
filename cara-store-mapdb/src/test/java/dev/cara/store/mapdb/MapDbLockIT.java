package dev.cara.store.mapdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two processes, one file: the second is refused at once with a clear message, and nothing is damaged. */
class MapDbLockIT {
    @TempDir
    Path dir;

    @Test
    void aSecondProcessIsRefusedAndTheFileStaysIntact() throws Exception {
        Path file = dir.resolve("cara.db");
        try (ChildJvm holder = ChildJvm.start(dir, LockHolder.class, "hold", file.toString())) {
            holder.await("LOCKED");

            try (ChildJvm second = ChildJvm.start(dir, LockHolder.class, "try", file.toString())) {
                String answer = second.await("");
                assertEquals(0, second.awaitExit(60), second.stderr());
                assertTrue(answer.startsWith("REFUSED InUse "), answer);
                assertTrue(answer.contains(file.toString()), answer);
                assertTrue(answer.contains("in use"), answer);
            }
            // In this process too, and the holder keeps working after both attempts.
            MapDbStoreException.InUse e = assertThrows(MapDbStoreException.InUse.class,
                    () -> MapDbStore.builder().path(file).shutdownHook(false).open());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

            holder.closeInput();
            holder.await("CLOSED");
            assertEquals(0, holder.awaitExit(60), holder.stderr());
        }
        try (MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO)
                .shutdownHook(false).open()) {
            assertEquals(1, store.list().nodes().size(), "the holder's node is intact");
            assertTrue(store.get("held").isPresent());
        }
    }

    @Test
    void aKilledHolderLeavesNoStaleLock() throws Exception {
        Path file = dir.resolve("cara.db");
        try (ChildJvm holder = ChildJvm.start(dir, LockHolder.class, "hold", file.toString())) {
            holder.await("LOCKED");
            holder.kill();
        }
        try (ChildJvm next = ChildJvm.start(dir, LockHolder.class, "try", file.toString())) {
            String answer = next.await("");
            assertEquals("OPENED 1", answer, next.stderr());
            assertEquals(0, next.awaitExit(60));
        }
    }
}
