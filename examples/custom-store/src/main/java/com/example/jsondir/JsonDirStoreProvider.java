package com.example.jsondir;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;

import java.nio.file.Path;

/**
 * Makes {@code jsondir:PATH} work wherever cara takes a store URL ({@code --store jsondir:./nodes}).
 * {@link java.util.ServiceLoader} finds it through
 * {@code META-INF/services/dev.cara.sdk.spi.StoreProvider}, which names this class.
 */
public final class JsonDirStoreProvider implements StoreProvider {
    /** ServiceLoader needs a public no-argument constructor. */
    public JsonDirStoreProvider() {
    }

    @Override
    public String scheme() {
        return "jsondir";
    }

    @Override
    public NodeStore open(String url) {
        String path = url.substring("jsondir:".length());
        if (path.isBlank()) {
            throw new InvalidException("store", url, "jsondir: followed by a directory, for example jsondir:./cara-nodes");
        }
        return JsonDirStore.open(Path.of(path));
    }
}
