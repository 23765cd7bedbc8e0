package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Fence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, played with the store's free-space figure (DiskFullIT does it for real on a tmpfs,
 * as root): commits fail cleanly, naming the file and the cause, heartbeats stay in the heap, and
 * commits succeed again once space returns, in the same store.
 */
class MapDbDiskFullTest {
    @TempDir
    Path dir;

    /** Regression: on a full disk MapDB faulted mid-commit and no later commit got through, space back or not. */
    @Test
    void aFullDiskFailsCommitsCleanlyAndTheyResumeWhenSpaceReturns() {
        Path file = dir.resolve("cara.db");
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        Instant beat = Instant.parse("2026-12-03T12:00:00Z");
        try (MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false)
                .freeSpace(free::get).open()) {
            store.create(Node.builder("kept").build());
            free.set(DiskThread.MARGIN - 1);

            UnavailableException full = assertThrows(UnavailableException.class, () -> store.create(Node.builder("new").build()));
            assertTrue(full.getMessage().contains(file.toAbsolutePath().toString()), full.getMessage());
            assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
            assertThrows(UnavailableException.class, () -> store.delete("kept", null));
            assertEquals(List.of("kept"), store.list().nodes().stream().map(Node::name).toList(), "no failed write shows");

            store.updateStatus("kept", n -> n.status().withLastHeartbeat(beat), Fence.NONE);
            assertThrows(UnavailableException.class, store::flush, "the status flush fails too");
            assertEquals(1, store.pendingStatusWrites(), "the heartbeat waits in the heap for space");

            free.set(Long.MAX_VALUE);
            store.create(Node.builder("new").build());
            store.flush();
            assertEquals(0, store.pendingStatusWrites());
        }
        try (MapDbStore again = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false).open()) {
            assertEquals(List.of("kept", "new"), again.list().nodes().stream().map(Node::name).toList());
            assertEquals(beat, again.get("kept").orElseThrow().status().lastHeartbeat());
        }
    }
}
