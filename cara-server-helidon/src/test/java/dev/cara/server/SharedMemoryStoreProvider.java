package dev.cara.server;

import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.ForwardingNodeStore;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.StoreProvider;
import dev.cara.sdk.spi.TokenStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only store, {@code sharedmem:NAME}: an in-memory store that outlives the server that opened
 * it, so that a test can stop a server and start another on the same data in one JVM, the way a
 * restart on a durable store behaves. Closing it only detaches the server.
 */
public final class SharedMemoryStoreProvider implements StoreProvider {
    private static final Map<String, NodeStore> STORES = new ConcurrentHashMap<>();

    public SharedMemoryStoreProvider() {
    }

    @Override
    public String scheme() {
        return "sharedmem";
    }

    @Override
    public NodeStore open(String url) {
        return new Detachable(STORES.computeIfAbsent(url, u -> MemoryStore.create()), url);
    }

    // Forwards the node calls only: like the hand-written wrapper it replaced, it keeps no projects,
    // events or tokens (the server then runs without them, as over any store that keeps none).
    private static final class Detachable extends ForwardingNodeStore {
        private final String url;

        Detachable(NodeStore store, String url) {
            super(store);
            this.url = url;
        }

        @Override
        public ProjectStore projects() {
            throw new UnsupportedOperationException("the store " + url + " keeps no projects");
        }

        @Override
        public EventStore events() {
            throw new UnsupportedOperationException(url + " keeps no events");
        }

        @Override
        public EventStore events(EventPolicy policy) {
            return events();
        }

        @Override
        public TokenStore tokens() {
            throw new UnsupportedOperationException("the store " + url + " keeps no tokens; run the server with --auth none");
        }

        @Override
        public String describe() {
            return url;
        }

        @Override
        public void close() {
            // Detach only: the data stays for the next server, as a file would.
        }
    }
}
