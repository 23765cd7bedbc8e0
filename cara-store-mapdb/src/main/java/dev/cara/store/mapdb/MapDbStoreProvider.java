package dev.cara.store.mapdb;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@link StoreProvider} for {@code mapdb:PATH}, for example {@code mapdb:./cara-data/cara.db} or
 * {@code mapdb:/var/lib/cara/cara.db} ({@code mapdb:///var/lib/cara/cara.db} works too). The store
 * registers a shutdown hook that flushes it, and uses the default settings of {@link MapDbStore.Builder}.
 */
public final class MapDbStoreProvider implements StoreProvider {
    private static final String PREFIX = "mapdb:";

    /** For {@link java.util.ServiceLoader}. */
    public MapDbStoreProvider() {
    }

    @Override
    public String scheme() {
        return "mapdb";
    }

    @Override
    public NodeStore open(String url) {
        return MapDbStore.builder().path(path(url)).open();
    }

    /** The file a {@code mapdb:} URL names. */
    static Path path(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new InvalidException("store", url, "a URL of the form mapdb:PATH, for example mapdb:./cara-data/cara.db");
        }
        String path = url.substring(PREFIX.length());
        if (path.startsWith("//")) {
            path = path.substring(2); // mapdb:///abs/path, written like a file: URL
        }
        if (path.isBlank() || path.contains("?") || path.endsWith("/")) {
            throw new InvalidException("store", url, "mapdb: followed by the path of the store file, for example "
                    + "mapdb:./cara-data/cara.db (no options, not a directory)");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new InvalidException("store", url, "mapdb: followed by a valid file path (" + e.getReason() + ")");
        }
    }
}
