package dev.cara.server;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.ForwardingNodeStore;
import dev.cara.sdk.spi.NodeStore;
import io.helidon.metrics.api.Timer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link NodeStore} that times each call of the store it wraps into {@link ServerMetrics}. Each
 * operation's timer is looked up once, here, rather than by name on every call of the hot path.
 * The rest is forwarded untimed: the project store (the project controllers are not on the heartbeat
 * path), the token store (the authentication cache in front of it keeps it off most requests), the
 * event store, the revision, the election and the description.
 */
final class TimedNodeStore extends ForwardingNodeStore {
    private final Timer create;
    private final Timer get;
    private final Timer list;
    private final Timer update;
    private final Timer updateStatuses;
    private final Timer updateStatus;
    private final Timer delete;
    private final Timer changesSince;
    private final Timer checkHealth;

    TimedNodeStore(NodeStore store, ServerMetrics metrics) {
        super(store);
        this.create = metrics.storeTimer("create");
        this.get = metrics.storeTimer("get");
        this.list = metrics.storeTimer("list");
        this.update = metrics.storeTimer("update");
        this.updateStatuses = metrics.storeTimer("updateStatuses");
        this.updateStatus = metrics.storeTimer("updateStatus");
        this.delete = metrics.storeTimer("delete");
        this.changesSince = metrics.storeTimer("changesSince");
        this.checkHealth = metrics.storeTimer("checkHealth");
    }

    private static <T> T timed(Timer timer, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Node create(Node node) {
        return timed(create, () -> delegate.create(node));
    }

    @Override
    public Optional<Node> get(String name) {
        return timed(get, () -> delegate.get(name));
    }

    @Override
    public Snapshot list() {
        return timed(list, delegate::list);
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        return timed(update, () -> delegate.update(name, expectedResourceVersion, mutation, fence));
    }

    @Override
    public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        return timed(updateStatuses, () -> delegate.updateStatuses(mutations, fence));
    }

    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        // Timed in place, not through timed(): every heartbeat comes here, and the lambda would be a
        // capture of its three arguments allocated per call.
        long start = System.nanoTime();
        try {
            return delegate.updateStatus(name, mutation, fence);
        } finally {
            updateStatus.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        return timed(delete, () -> delegate.delete(name, expectedResourceVersion));
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        return timed(changesSince, () -> delegate.changesSince(afterRevision, limit));
    }

    @Override
    public void checkHealth() {
        timed(checkHealth, () -> {
            delegate.checkHealth();
            return null;
        });
    }
}
