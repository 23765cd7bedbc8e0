package dev.cara.server;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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

    private record Detachable(NodeStore store, String url) implements NodeStore {
        @Override
        public Node create(Node node) {
            return store.create(node);
        }

        @Override
        public Optional<Node> get(String name) {
            return store.get(name);
        }

        @Override
        public Snapshot list() {
            return store.list();
        }

        @Override
        public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
            return store.update(name, expectedResourceVersion, mutation, fence);
        }

        @Override
        public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
            return store.updateStatus(name, mutation, fence);
        }

        @Override
        public Node delete(String name, String expectedResourceVersion) {
            return store.delete(name, expectedResourceVersion);
        }

        @Override
        public long revision() {
            return store.revision();
        }

        @Override
        public List<Change> changesSince(long afterRevision, int limit) {
            return store.changesSince(afterRevision, limit);
        }

        @Override
        public void checkHealth() {
            store.checkHealth();
        }

        @Override
        public LeaderElection leaderElection() {
            return store.leaderElection();
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
