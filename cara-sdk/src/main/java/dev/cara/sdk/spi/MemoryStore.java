package dev.cara.sdk.spi;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A {@link NodeStore} in the heap: fast, and gone when the process ends. Use it for tests, for
 * embedding, and with {@code --store memory:}.
 *
 * <p><b>Concurrency.</b> One lock, {@code writeLock}, orders every write: it assigns the revision,
 * publishes the new node in {@code nodes} and appends to the change ring, so the feed is in revision
 * order. Spec writes run their mutation under the lock; status writes run theirs before it and
 * publish only if the node is still the one they read (see {@link #updateStatus}). The critical
 * section of a status write is a map put and an array store, well under a microsecond. Reads of one
 * node take no lock: {@code nodes} is a concurrent map of immutable records. {@link #list()} and
 * {@link #changesSince} take the lock to read a consistent revision; the feed is a {@link ChangeHistory}.
 *
 * <p><b>Fencing.</b> A store from {@link #create()} is its process's only writer and leads
 * {@linkplain LeaderElection#solo() solo}. One from {@link #withElection()} stands in for a shared
 * database in tests: every {@link #leaderElection()} call is another replica's candidacy, terms are
 * real, {@link #depose()} ends a term behind its holder's back, and a fenced write under a term that
 * is no longer current is refused, checked under {@code writeLock} with the write.
 */
public final class MemoryStore implements NodeStore {
    /** Changes kept for watchers by default: enough for ~30 s of 100,000 nodes at a 30 s interval. */
    public static final int DEFAULT_HISTORY = 100_000;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<String, Node> nodes = new ConcurrentHashMap<>();
    // Guarded by writeLock: the change history and the revision.
    private final ChangeHistory<Change> history;
    private long revision;
    private volatile boolean closed;
    private final MemoryElection election; // null: solo
    private final MemoryProjectStore projects;

    private MemoryStore(int history, MemoryElection election) {
        this.history = ChangeHistory.startingAt(0, history);
        this.election = election;
        this.projects = MemoryProjectStore.sharing(election);
    }
    // Thread-safe by itself (its own lock); closed with this store. Replaced only by events(policy) while
    // still empty (under this store's monitor), so every caller keeps seeing one history.
    private volatile MemoryEventStore events = MemoryEventStore.create();
    private final MemoryTokenStore tokens = MemoryTokenStore.create();

    private MemoryStore(int history) {
        this(history, null);
    }

    /** A store that keeps the default amount of change history. */
    public static MemoryStore create() {
        return new MemoryStore(DEFAULT_HISTORY);
    }

    /**
     * A store that several control planes in this process share as replicas share a database: each
     * {@link #leaderElection()} is one more candidate, the first to start leads term 1, and fenced
     * writes under an old term are refused with {@link FencedException}. For tests of leadership.
     */
    public static MemoryStore withElection() {
        return new MemoryStore(DEFAULT_HISTORY, new MemoryElection());
    }

    /**
     * Ends the current leadership term without telling its holder, as when its lease ran out while it
     * was paused: the next candidate in line leads the next term, and the deposed one learns only when
     * one of its fenced writes is refused. Only for a store from {@link #withElection()}.
     *
     * @throws IllegalStateException when the store has no election or nobody leads
     */
    public void depose() {
        if (election == null) {
            throw new IllegalStateException("this store leads solo; make it with MemoryStore.withElection() to depose leaders");
        }
        election.depose();
    }

    /**
     * This store's projects: one {@link MemoryProjectStore} per store, fenced by the same terms as
     * the nodes when the store was made {@link #withElection()}, so every replica sharing the store
     * shares its projects too.
     */
    @Override
    public ProjectStore projects() {
        return projects;
    }

    @Override
    public LeaderElection leaderElection() {
        return election == null ? LeaderElection.solo() : election.candidate();
    }

    /** A store that keeps the last {@code history} changes for {@link #changesSince}. */
    public static MemoryStore withHistory(int history) {
        if (history < 1) {
            throw new IllegalArgumentException("history must be at least 1, was " + history);
        }
        return new MemoryStore(history);
    }

    @Override
    public Node create(Node node) {
        Objects.requireNonNull(node, "node");
        writeLock.lock();
        try {
            ensureOpen();
            String name = node.name();
            if (nodes.containsKey(name)) {
                throw new AlreadyExistsException(name);
            }
            long next = revision + 1;
            Node stored = node.withMetadata(node.metadata().withResourceVersion(Long.toString(next)));
            commit(next, Change.Type.ADDED, stored);
            nodes.put(name, stored);
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<Node> get(String name) {
        ensureOpen();
        return Optional.ofNullable(nodes.get(name));
    }

    @Override
    public Snapshot list() {
        writeLock.lock();
        try {
            ensureOpen();
            return new Snapshot(revision, new ArrayList<>(new TreeMap<>(nodes).values()));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        Objects.requireNonNull(fence, "fence");
        FencedException refused;
        writeLock.lock();
        try {
            ensureOpen();
            Node current = require(name);
            refused = refusal(fence);
            if (refused == null) {
                long next = revision + 1;
                Node stored = StoreRules.update(current, expectedResourceVersion, mutation, Long.toString(next));
                commit(next, Change.Type.MODIFIED, stored);
                nodes.put(name, stored);
                return stored;
            }
        } finally {
            writeLock.unlock();
        }
        throw deposed(fence, refused);
    }

    /**
     * Optimistic, as heartbeats are the hot path: the mutation runs on the node as read, without the
     * lock, and the lock is held only to check that the node is still that very instance and to
     * publish. If another write landed in between, the mutation runs again on the new node, as the
     * SPI allows. So concurrent heartbeats for different nodes never wait on each other's mutation.
     */
    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        Objects.requireNonNull(fence, "fence");
        while (true) {
            ensureOpen();
            Node current = require(name);
            NodeStatus next = Objects.requireNonNull(mutation.apply(current), "mutation result");
            if (next == current.status()) {
                return current; // the mutation changed nothing: no write, no revision
            }
            Node stored = current.withStatus(next);
            FencedException refused;
            writeLock.lock();
            try {
                ensureOpen();
                if (nodes.get(name) != current) {
                    continue; // changed or deleted since we read it: run the mutation again
                }
                refused = refusal(fence);
                if (refused == null) {
                    commit(revision + 1, Change.Type.MODIFIED, stored);
                    nodes.put(name, stored);
                    return stored;
                }
            } finally {
                writeLock.unlock();
            }
            throw deposed(fence, refused);
        }
    }

    // Called with writeLock held: why this fenced write must not land, or null.
    private FencedException refusal(Fence fence) {
        return election == null ? null : election.refusal(fence);
    }

    // Called without writeLock: the election tells the deposed writer, whose listener may call back in.
    private FencedException deposed(Fence fence, FencedException refused) {
        election.refused(fence);
        return refused;
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        writeLock.lock();
        try {
            ensureOpen();
            Node current = require(name);
            StoreRules.checkVersion(current, expectedResourceVersion);
            commit(revision + 1, Change.Type.DELETED, current);
            nodes.remove(name);
            return current;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long revision() {
        writeLock.lock();
        try {
            return revision;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        writeLock.lock();
        try {
            ensureOpen();
            return history.since(afterRevision, limit);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void checkHealth() {
        ensureOpen();
    }

    /** Its own {@link MemoryTokenStore}: tokens last as long as this store does. */
    @Override
    public TokenStore tokens() {
        return tokens;
    }

    /** Its own {@link MemoryEventStore}, with the default policy. */
    @Override
    public EventStore events() {
        return events;
    }

    /**
     * Its own {@link MemoryEventStore}, kept by {@code policy}: the store's history is replaced by one
     * with that policy while it is still empty (a server sets its retention before anything happens).
     *
     * @throws UnsupportedOperationException when events were already recorded under another policy
     */
    @Override
    public synchronized EventStore events(dev.cara.sdk.EventPolicy policy) {
        if (!events.policy().equals(policy)) {
            if (events.revision() != 0) {
                throw new UnsupportedOperationException("memory: already keeps events by " + events.policy()
                        + "; ask for the policy before the first event is recorded");
            }
            MemoryEventStore replaced = events;
            events = MemoryEventStore.create(policy);
            replaced.close();
        }
        return events;
    }

    @Override
    public String describe() {
        return "memory:";
    }

    @Override
    public void close() {
        closed = true;
        events.close();
        projects.close();
    }

    // Called with writeLock held.
    private void commit(long next, Change.Type type, Node node) {
        history.append(new Change(next, type, node));
        revision = next;
    }

    private Node require(String name) {
        Node current = nodes.get(name);
        if (current == null) {
            throw new NotFoundException(name);
        }
        return current;
    }


    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }
}
