package dev.cara.server;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.ProjectStore;
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
 */
final class TimedNodeStore implements NodeStore {
    private final NodeStore store;
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
        this.store = store;
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
        return timed(create, () -> store.create(node));
    }

    @Override
    public Optional<Node> get(String name) {
        return timed(get, () -> store.get(name));
    }

    @Override
    public Snapshot list() {
        return timed(list, store::list);
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        return timed(update, () -> store.update(name, expectedResourceVersion, mutation, fence));
    }

    @Override
    public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        return timed(updateStatuses, () -> store.updateStatuses(mutations, fence));
    }

    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        return timed(updateStatus, () -> store.updateStatus(name, mutation, fence));
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        return timed(delete, () -> store.delete(name, expectedResourceVersion));
    }

    @Override
    public long revision() {
        return store.revision();
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        return timed(changesSince, () -> store.changesSince(afterRevision, limit));
    }

    @Override
    public void checkHealth() {
        timed(checkHealth, () -> {
            store.checkHealth();
            return null;
        });
    }

    @Override
    public LeaderElection leaderElection() {
        return store.leaderElection();
    }

    @Override
    public ProjectStore projects() {
        return store.projects(); // not timed: the project controllers are not on the heartbeat path
    }

    @Override
    public EventStore events() {
        return store.events();
    }

    @Override
    public EventStore events(dev.cara.sdk.EventPolicy policy) {
        return store.events(policy);
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }
}
