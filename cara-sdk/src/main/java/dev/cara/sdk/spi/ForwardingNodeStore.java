package dev.cara.sdk.spi;

import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A {@link NodeStore} that hands every call to another one, {@link #projects()}, {@link #events()} and
 * {@link #tokens()} included; a wrapper (timing, counting, a test's fault injection) overrides only
 * the calls it changes. Without this base every wrapper repeats the whole list, and one written
 * before a call was added to the SPI silently answers it with the SPI's default instead of the
 * wrapped store's.
 *
 * <p>The three-argument {@link #update(String, String, UnaryOperator)} is not forwarded: it is the
 * four-argument one with {@link Fence#NONE}, so that a wrapper overriding that one sees both.
 * Holds nothing but the delegate; thread-safe as far as the delegate is.
 */
public abstract class ForwardingNodeStore implements NodeStore {
    /** The store every call goes to. */
    protected final NodeStore delegate;

    protected ForwardingNodeStore(NodeStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Node create(Node node) {
        return delegate.create(node);
    }

    @Override
    public Optional<Node> get(String name) {
        return delegate.get(name);
    }

    @Override
    public Snapshot list() {
        return delegate.list();
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        return delegate.update(name, expectedResourceVersion, mutation, fence);
    }

    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        return delegate.updateStatus(name, mutation, fence);
    }

    @Override
    public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        return delegate.updateStatuses(mutations, fence);
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        return delegate.delete(name, expectedResourceVersion);
    }

    @Override
    public long revision() {
        return delegate.revision();
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        return delegate.changesSince(afterRevision, limit);
    }

    @Override
    public void checkHealth() {
        delegate.checkHealth();
    }

    @Override
    public LeaderElection leaderElection() {
        return delegate.leaderElection();
    }

    @Override
    public ProjectStore projects() {
        return delegate.projects();
    }

    @Override
    public EventStore events() {
        return delegate.events();
    }

    @Override
    public EventStore events(EventPolicy policy) {
        return delegate.events(policy);
    }

    @Override
    public TokenStore tokens() {
        return delegate.tokens();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
