package com.example.jsondir;

import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.testkit.EventStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event contract against the example store's events, and that the files follow retention and survive a reopen. */
class JsonDirEventStoreTest extends EventStoreContract {
    @TempDir
    Path dir;

    private final AtomicInteger stores = new AtomicInteger();

    @Override
    protected EventStore newStore(EventPolicy policy) {
        return JsonDirStore.open(dir.resolve("store-" + stores.incrementAndGet()), policy).events();
    }

    @Test
    void theDirectoryHoldsWhatRetentionKeepsAndAReopenReadsItBack() throws IOException {
        Path where = dir.resolve("kept");
        EventPolicy policy = EventPolicy.builder().maxCount(3).maxAge(Duration.ofHours(1)).build();
        EventStore events = JsonDirStore.open(where, policy).events();
        for (int i = 0; i < 10; i++) {
            events.record(notReady("web-" + i, i));
        }
        events.record(notReady("web-9", 20)); // a fold: the same file, rewritten
        try (Stream<Path> files = Files.list(where.resolve("events"))) {
            assertEquals(3, files.count(), "dropped events are deleted");
        }
        var before = events.list(EventFilter.all());
        events.close();
        EventStore again = JsonDirStore.open(where, policy).events();
        assertEquals(before, again.list(EventFilter.all()));
        again.close();
    }
}
