package dev.cara.store.mapdb;

import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.testkit.NodeStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The SDK's storage contract, the whole of it, on the MapDB store: one fresh file per store. */
class MapDbStoreTest extends NodeStoreContract {
    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected NodeStore newStore() {
        // The default settings, committer thread included, so the races run against the real thing.
        return open(dir.resolve("store-" + files.incrementAndGet() + ".db"));
    }

    @Override
    protected NodeStore reopen(NodeStore closed) {
        return open(((MapDbStore) closed).file());
    }

    private static MapDbStore open(Path file) {
        return MapDbStore.builder().path(file).shutdownHook(false).open();
    }
}
