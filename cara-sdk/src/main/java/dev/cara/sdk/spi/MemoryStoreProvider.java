package dev.cara.sdk.spi;

import dev.cara.sdk.InvalidException;

/** The {@link StoreProvider} for {@code memory:} URLs. Each open returns a new, empty store. */
public final class MemoryStoreProvider implements StoreProvider {
    /** For {@link java.util.ServiceLoader}. */
    public MemoryStoreProvider() {
    }

    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public NodeStore open(String url) {
        if (!url.equals("memory:") && !url.equals("memory://")) {
            throw new InvalidException("store", url, "exactly memory: (the in-memory store takes no options)");
        }
        return MemoryStore.create();
    }
}
