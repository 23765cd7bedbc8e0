package com.example.jsondir;

import dev.cara.sdk.Node;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;
import dev.cara.sdk.testkit.NodeStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole storage contract, run against the example store. This is all it takes: say how to make
 * a fresh store, and (for a store that keeps data) how to open the same data again.
 */
class JsonDirStoreTest extends NodeStoreContract {
    @TempDir
    Path dir;

    private final AtomicInteger stores = new AtomicInteger();

    @Override
    protected NodeStore newStore() {
        return JsonDirStore.open(dir.resolve("store-" + stores.incrementAndGet()));
    }

    @Override
    protected NodeStore reopen(NodeStore closed) {
        return JsonDirStore.open(((JsonDirStore) closed).directory());
    }

    // Every write is an fsync'd file here, so the model test runs the kit's minimum of sequences.
    @Override
    protected int modelSequences() {
        return 50;
    }

    @Test
    void theUrlFindsThisStoreThroughServiceLoader() throws Exception {
        Path where = dir.resolve("via-url");
        try (NodeStore store = StoreProvider.openUrl("jsondir:" + where)) {
            store.create(Node.builder("web-1").hostname("web-1.lan").build());
            assertEquals("jsondir:" + where, store.describe());
        }
        assertTrue(Files.readString(where.resolve("nodes/web-1.json")).contains("\"hostname\":\"web-1.lan\""));
    }
}
