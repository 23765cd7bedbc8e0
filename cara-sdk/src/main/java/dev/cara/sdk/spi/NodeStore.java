package dev.cara.sdk.spi;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where nodes are kept. This is the storage SPI: implement it (and a {@link StoreProvider}) to keep
 * nodes somewhere new, and prove the implementation with the contract kit
 * ({@code dev.cara.sdk.testkit.NodeStoreContract} in the {@code cara-sdk-testkit} artifact).
 *
 * <h2>Versions and revisions</h2>
 * Every write advances the store's <em>revision</em>, a number that only grows and orders the
 * {@linkplain #changesSince change feed}. Each node also carries {@code metadata.resourceVersion},
 * the version of what clients write (labels, annotations and spec): the store sets it on create and
 * replaces it on each {@link #update} that changes any of those, and never on a status write. A
 * resourceVersion is never reused for the same name, not even after a delete and re-create.
 *
 * <h2>Durability</h2>
 * When {@link #create}, {@link #update} or {@link #delete} returns, the write must survive a crash
 * of the process. {@link #updateStatus} writes (heartbeats) may be acknowledged before they are
 * durable, and a crash may lose the most recent ones.
 *
 * <h2>Concurrency</h2>
 * Every method is safe to call from many threads. {@code update} and {@code updateStatus} are
 * atomic read-modify-writes: the mutation sees the current node and its result is stored only if
 * nothing changed in between. A store may call a mutation more than once (optimistic retry), so a
 * mutation must be a side-effect-free function of its input. A status write never overwrites a
 * concurrent spec write, and a spec write never overwrites a concurrent status write.
 *
 * <h2>Errors</h2>
 * Missing names throw {@link NotFoundException}, taken names {@link AlreadyExistsException}, a
 * failed compare-and-set {@link ConflictException}, and an unreachable backend
 * {@link UnavailableException}.
 */
public interface NodeStore extends Store {

    /**
     * Stores a new node with the metadata, spec and status given, setting
     * {@code metadata.resourceVersion}.
     *
     * @return the node as stored
     * @throws AlreadyExistsException if the name is taken
     */
    Node create(Node node);

    /** The node with this name, if any. */
    Optional<Node> get(String name);

    /** Every node, sorted by name, with the revision they were read at. */
    Snapshot list();

    /**
     * Atomically replaces a node with {@code mutation(current)}. The store keeps {@code name} and
     * {@code createdAt} as they were and ignores the resourceVersion the mutation returns. If the
     * labels, annotations or spec changed, it sets a new resourceVersion.
     *
     * @param expectedResourceVersion the version the caller read, or {@code null} for no check
     * @return the node as stored
     * @throws NotFoundException if there is no such node
     * @throws ConflictException if {@code expectedResourceVersion} is not the current one
     */
    default Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation) {
        return update(name, expectedResourceVersion, mutation, Fence.NONE);
    }

    /**
     * {@link #update(String, String, UnaryOperator)} on behalf of a leader: the control plane writes
     * the state and conditions it computes for a spec change under its leadership term, so that a
     * deposed leader cannot write stale state. A store whose {@link #leaderElection()} can hand out
     * real terms checks the fence atomically with the write; a store with {@link LeaderElection#solo()}
     * only ever sees {@link Fence#NONE}. The contract kit checks this (and the same for
     * {@link #updateStatus} and {@link #updateStatuses}) for every store whose election is not solo.
     *
     * @param fence the writer's leadership term, or {@link Fence#NONE} to write unconditionally
     * @throws FencedException when {@code fence} is no longer the current term; nothing is written
     */
    Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence);

    /**
     * Atomically replaces a node's status with {@code mutation(current)}, leaving metadata and spec
     * alone. This is the hot path of heartbeats: it need not be durable on return, and it must not
     * rewrite more than the status where the backend can avoid it. When the mutation returns the
     * current status instance itself, nothing changed: the store should skip the write and must
     * then not advance the revision.
     *
     * @param fence the writer's leadership term; a store that supports leader election refuses the
     *              write with {@link FencedException}, and writes nothing, when the term is no longer
     *              current. {@link Fence#NONE} writes unconditionally.
     * @return the node as stored
     * @throws NotFoundException if there is no such node
     */
    Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence);

    /**
     * Several {@link #updateStatus} writes made together, under one fence: the heartbeat monitor
     * expires every node whose silence passed the timeout in one call per tick, so that a store can
     * write them in one statement or transaction instead of one each. Names that no longer exist are
     * skipped. Each mutation follows {@link #updateStatus}'s rules (returning the current status
     * instance means no write for that node).
     *
     * <p>The default writes them one by one; a store with a cheaper batch path should override it.
     *
     * @return the nodes as stored, by name, for the names that existed
     * @throws FencedException when {@code fence} is no longer the current term; a store that writes the
     *                         batch atomically writes none of it, one that writes node by node stops
     */
    default Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        Map<String, Node> stored = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Function<Node, NodeStatus>> e : mutations.entrySet()) {
            try {
                stored.put(e.getKey(), updateStatus(e.getKey(), e.getValue(), fence));
            } catch (NotFoundException gone) {
                // deleted since the caller looked: nothing to write
            }
        }
        return stored;
    }

    /**
     * Removes a node.
     *
     * @param expectedResourceVersion the version the caller read, or {@code null} for no check
     * @return the node as it was just before deletion
     * @throws NotFoundException if there is no such node
     * @throws ConflictException if {@code expectedResourceVersion} is not the current one
     */
    Node delete(String name, String expectedResourceVersion);

    /** The revision of the latest write. 0 for a store that has never been written. */
    long revision();

    /**
     * The changes after {@code afterRevision}, oldest first, at most {@code limit} of them. Each
     * carries the node as it was after the change (before it, for a delete). Revisions in the result
     * strictly increase; a store may skip revisions, but never reorders them.
     *
     * <p>{@code changesSince(revision())} is empty. A revision ahead of {@link #revision()} is one this
     * store never handed out: the caller read it from another store, or from this one before it lost
     * writes (a memory store restarted, a file or database restored from a backup). An empty answer
     * would leave that caller stale until the store caught up, and then skipping every change in
     * between, so the store throws {@link HistoryGoneException} instead, as for history it no longer
     * keeps. {@link ChangeHistory} implements these rules for a history kept in the heap.
     *
     * @throws HistoryGoneException if changes after {@code afterRevision} are no longer kept, or
     *                              {@code afterRevision} is ahead of {@link #revision()}; the caller
     *                              should {@link #list()} again and continue from there
     */
    List<Change> changesSince(long afterRevision, int limit);

    /**
     * Checks that the backend answers.
     *
     * @throws UnavailableException naming what is unreachable
     */
    void checkHealth();

    /**
     * The leader election that replicas sharing this store use. A store that only one process can
     * open returns {@link LeaderElection#solo()}, which always leads.
     */
    default LeaderElection leaderElection() {
        return LeaderElection.solo();
    }

    /**
     * Where this store keeps projects, beside its nodes: the control plane's default
     * {@link ProjectStore}, so that one store URL holds both, fenced by the same election. One instance
     * per store; closing the node store closes it. The default keeps none.
     *
     * @throws UnsupportedOperationException naming this store, when it keeps no projects; give the
     *                                       control plane one with {@code ControlPlane.Builder#projects}
     */
    default ProjectStore projects() {
        throw new UnsupportedOperationException("the store " + describe() + " keeps no projects; give the control plane"
                + " a ProjectStore with ControlPlane.builder().projects(...)");
    }

    /**
     * The event history this store keeps, in the same backend as its nodes.
     *
     * @throws UnsupportedOperationException when this store keeps no events
     */
    default EventStore events() {
        throw new UnsupportedOperationException(describe() + " keeps no events");
    }

    /**
     * The event history this store keeps, retained and folded by {@code policy} (a server's settings).
     * Default: {@link #events()} when it already keeps events by that policy.
     *
     * @throws UnsupportedOperationException when this store keeps no events, or keeps them only by a
     *                                       policy of its own (the message names it)
     */
    default EventStore events(dev.cara.sdk.EventPolicy policy) {
        EventStore own = events();
        if (!own.policy().equals(policy)) {
            throw new UnsupportedOperationException(describe() + " keeps events by its own policy " + own.policy()
                    + " and cannot keep them by " + policy);
        }
        return own;
    }

    /**
     * Where this store keeps API tokens (only their hashes), beside its nodes, so that a token created
     * on one replica authenticates on every replica of the same store and survives a restart. One
     * instance per store; closing the node store closes it.
     *
     * @throws UnsupportedOperationException naming this store, when it keeps no tokens; the server then
     *                                       needs {@code --auth none} or an authenticator of its own
     */
    default TokenStore tokens() {
        throw new UnsupportedOperationException("the store " + describe() + " keeps no tokens; run the server with"
                + " --auth none, or use a store that keeps them (memory:, mapdb:, jdbc:)");
    }

    /** Nodes as of one revision. */
    record Snapshot(long revision, List<Node> nodes) {
        public Snapshot {
            nodes = List.copyOf(nodes);
        }
    }
}
