package dev.cara.sdk;

import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A store that hands every node call to another (and keeps no projects, events or tokens: the SPI's
 * defaults); tests override the calls they want to block or count.
 */
public class ForwardingStore implements NodeStore {
    final NodeStore inner;

    public ForwardingStore(NodeStore inner) {
        this.inner = inner;
    }

    @Override
    public Node create(Node node) {
        return inner.create(node);
    }

    @Override
    public Optional<Node> get(String name) {
        return inner.get(name);
    }

    @Override
    public Snapshot list() {
        return inner.list();
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        return inner.update(name, expectedResourceVersion, mutation, fence);
    }

    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        return inner.updateStatus(name, mutation, fence);
    }

    @Override
    public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        return inner.updateStatuses(mutations, fence);
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        return inner.delete(name, expectedResourceVersion);
    }

    @Override
    public long revision() {
        return inner.revision();
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        return inner.changesSince(afterRevision, limit);
    }

    @Override
    public void checkHealth() {
        inner.checkHealth();
    }

    @Override
    public LeaderElection leaderElection() {
        return inner.leaderElection();
    }

    @Override
    public String describe() {
        return "forwarding to " + inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
