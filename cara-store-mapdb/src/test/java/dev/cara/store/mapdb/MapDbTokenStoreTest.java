package dev.cara.store.mapdb;

import dev.cara.sdk.spi.TokenStore;
import dev.cara.sdk.testkit.TokenStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The token contract on the tokens of a MapDB store, reopened from its file as a new process would. */
class MapDbTokenStoreTest extends TokenStoreContract {
    @TempDir
    Path dir;

    // Owned by the JUnit thread: the MapDB store behind the token store the kit holds now.
    private final List<MapDbStore> opened = new ArrayList<>();

    @Override
    protected TokenStore newStore() {
        return open().tokens();
    }

    @Override
    protected TokenStore reopen(TokenStore current) {
        opened.get(opened.size() - 1).close();
        return open().tokens();
    }

    private MapDbStore open() {
        MapDbStore store = MapDbStore.builder().path(dir.resolve("cara.db")).shutdownHook(false).open();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MapDbStore::close);
    }
}
