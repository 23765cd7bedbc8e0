package dev.cara.sdk;

import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane: registers nodes, applies heartbeats, computes each node's state with the
 * {@link StateRule}, notices silent nodes with the {@link HeartbeatMonitor}, and serves watches.
 * Everything a server, a test or an embedding application needs goes through this one facade.
 *
 * <pre>{@code
 * ControlPlane cp = ControlPlane.builder()
 *         .store(MemoryStore.create())
 *         .heartbeatTimeout(Duration.ofSeconds(90))
 *         .build();
 * cp.start();
 * cp.register(Node.builder("worker-1").hostname("worker-1.lan").build());
 * cp.heartbeat("worker-1", HeartbeatReport.claiming(NodeState.READY));
 * }</pre>
 *
 * <p><b>Leadership.</b> Replicas that share a store elect a leader through the store's
 * {@link LeaderElection}. Every replica serves every call; only the leader runs the monitor and
 * writes state transitions, each fenced by its term. A replica that is not leading stores what
 * heartbeats report and leaves state and the control plane's conditions for the leader, which
 * sees the write through the store's change feed within one tick. Gaining leadership (which, with a
 * solo store, happens in {@link #start()}) starts every node with a full grace period.
 *
 * <p><b>Threads and ownership.</b> The store owns the nodes; every change is an atomic
 * read-modify-write in the store, so no lock here guards node data. The monitor owns liveness.
 * {@code leadership} is an atomically swapped immutable value, written by the election's listener.
 * {@code followedRevision} and the monitor's resync are guarded by {@code tickLock}, so a tick and a
 * leadership change never interleave. Watches are owned by the {@link WatchHub}.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
    private static final int FEED_PAGE = 10_000;

    private final NodeStore store;
    private final Clock clock;
    private final Ticker ticker;
    private final Duration heartbeatTimeout;
    private final Duration tickInterval;
    private final Duration watchInterval;
    private final DeletionGuard deletionGuard;
    private final boolean manualTicks;
    private final LeaderElection election;
    private final HeartbeatMonitor monitor;
    private final List<ControlPlaneListener> listeners = new CopyOnWriteArrayList<>();
    private final WatchHub watches;
    private final AtomicReference<Leadership> leadership = new AtomicReference<>(Leadership.FOLLOWING);
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
    private volatile ScheduledExecutorService background;
    // Guards followedRevision and the monitor's resync: the tick and a leadership change never interleave.
    private final Object tickLock = new Object();
    private long followedRevision; // guarded by tickLock

    private record Leadership(boolean leading, Fence fence) {
        static final Leadership FOLLOWING = new Leadership(false, Fence.NONE);
    }

    private enum Lifecycle { LATENT, STARTED, CLOSED }

    private ControlPlane(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.tickInterval = b.tickInterval;
        this.watchInterval = b.watchInterval;
        this.deletionGuard = b.deletionGuard;
        this.manualTicks = b.manualTicks;
        this.listeners.addAll(b.listeners);
        this.election = store.leaderElection();
        this.monitor = new HeartbeatMonitor(ticker, heartbeatTimeout);
        this.watches = new WatchHub(store);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts campaigning for leadership and, unless built with {@link Builder#manualTicks}, the
     * background thread that ticks the monitor and feeds watches.
     *
     * @throws IllegalStateException if already started or closed
     */
    public ControlPlane start() {
        if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("the control plane was already started or closed");
        }
        if (!manualTicks) {
            ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cara-control-plane");
                t.setDaemon(true);
                return t;
            });
            background = exec;
            exec.scheduleWithFixedDelay(logFailures(this::tick, "the heartbeat monitor's tick failed; retrying next tick"),
                    tickInterval.toNanos(), tickInterval.toNanos(), TimeUnit.NANOSECONDS);
            exec.scheduleWithFixedDelay(logFailures(this::pumpWatches, "delivering watch events failed; retrying"),
                    watchInterval.toNanos(), watchInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
        election.start(this::leadershipChanged);
        return this;
    }

    /** Stops the background work and leadership; the store stays open (its owner closes it). Idempotent. */
    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.CLOSED) {
            return;
        }
        ScheduledExecutorService exec = background;
        if (exec != null) {
            exec.shutdownNow();
            try {
                exec.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watches.closeAll();
        election.close();
        leadershipChanged(false, Fence.NONE);
    }

    // ---------------------------------------------------------------- the API

    /**
     * Registers a node from a manifest. Its status is ignored: a new node starts NotReady (Draining
     * when registered unschedulable) and waits for its first heartbeat.
     *
     * @throws InvalidException       if the manifest breaks a rule
     * @throws AlreadyExistsException if the name is taken
     */
    public Node register(Node manifest) {
        Objects.requireNonNull(manifest, "manifest").validate();
        Instant now = clock.instant();
        StateRule.Outcome initial = StateRule.evaluate(new StateRule.Input(manifest.spec(), null, List.of(), List.of(),
                false, Duration.ZERO, heartbeatTimeout, null, now));
        Node fresh = new Node(Node.API_VERSION, Node.KIND,
                new ObjectMeta(manifest.name(), manifest.metadata().labels(), manifest.metadata().annotations(), now, now, null),
                manifest.spec(),
                new NodeStatus(initial.state(), null, null, null, null, null, initial.conditions(), null));
        Node stored = store.create(fresh);
        if (leadership.get().leading()) {
            monitor.track(stored.name(), false, null);
        }
        notifyTransition(new StateTransition(stored.name(), null, stored.state(), now, readyReason(stored)));
        return stored;
    }

    /** @throws NotFoundException if there is no such node */
    public Node get(String name) {
        return store.get(name).orElseThrow(() -> new NotFoundException(name));
    }

    /** Every node, sorted by name. */
    public List<Node> list() {
        return store.list().nodes();
    }

    /** The nodes whose labels the selector matches, sorted by name. */
    public List<Node> list(LabelSelector selector) {
        List<Node> all = list();
        if (selector.selectsEverything()) {
            return all;
        }
        return all.stream().filter(selector::matches).toList();
    }

    /**
     * Replaces a node's labels, annotations and spec with the manifest's, keeping its status. When
     * the manifest carries {@code metadata.resourceVersion}, the update happens only if that is still
     * the current version (compare-and-set).
     *
     * @throws InvalidException   if the manifest breaks a rule
     * @throws NotFoundException  if there is no such node
     * @throws ConflictException  if the resourceVersion is stale
     */
    public Node update(Node manifest) {
        Objects.requireNonNull(manifest, "manifest").validate();
        return update(manifest.name(), manifest.metadata().resourceVersion(), current -> current
                .withMetadata(current.metadata().withLabels(manifest.metadata().labels())
                        .withAnnotations(manifest.metadata().annotations()))
                .withSpec(manifest.spec()));
    }

    /**
     * Sets or clears {@code spec.unschedulable} (cordon and uncordon), without a version check.
     *
     * @throws NotFoundException if there is no such node
     */
    public Node setUnschedulable(String name, boolean unschedulable) {
        return update(name, null, current -> current.withSpec(current.spec().withUnschedulable(unschedulable)));
    }

    private Node update(String name, String expectedVersion, java.util.function.UnaryOperator<Node> change) {
        Instant now = clock.instant();
        Leadership lead = leadership.get();
        NodeState[] before = new NodeState[1];
        Node stored = store.update(name, expectedVersion, current -> {
            before[0] = current.state();
            Node desired = change.apply(current);
            boolean changed = !desired.sameDesiredState(current);
            Node next = desired.withMetadata(desired.metadata().withTimes(current.metadata().createdAt(),
                    changed ? now : current.metadata().updatedAt()));
            if (!lead.leading()) {
                return next; // the status as stored: state and transitions are the leader's to write
            }
            return next.withStatus(evaluate(next, current.status(), liveness(current), now));
        });
        if (before[0] != stored.state()) {
            notifyTransition(new StateTransition(name, before[0], stored.state(), now, readyReason(stored)));
        }
        return stored;
    }

    /**
     * Deletes a node, unless the {@link DeletionGuard} objects.
     *
     * @throws NotFoundException if there is no such node
     * @throws ConflictException naming the guard's reason, when the delete is blocked
     */
    public Node delete(String name) {
        Node current = get(name);
        deletionGuard.blockingReason(current).ifPresent(reason -> {
            throw new ConflictException("node \"" + name + "\" cannot be deleted: " + reason);
        });
        Node deleted = store.delete(name, null);
        monitor.forget(name);
        notifyTransition(new StateTransition(name, deleted.state(), null, clock.instant(), null));
        return deleted;
    }

    /**
     * Applies a heartbeat: stamps {@code status.lastHeartbeat} with the control plane's clock,
     * merges what the report names, and re-evaluates the state. This is the hot path: one atomic
     * status write in the store, no metadata or spec rewrite.
     *
     * @throws InvalidException  if the report breaks a rule
     * @throws NotFoundException if there is no such node (the agent should stop heartbeating)
     */
    public Node heartbeat(String name, HeartbeatReport report) {
        Objects.requireNonNull(report, "report");
        Instant now = clock.instant();
        Leadership lead = leadership.get();
        if (lead.leading()) {
            monitor.heartbeat(name, now);
        }
        NodeState[] before = new NodeState[1];
        Node stored;
        try {
            stored = store.updateStatus(name, current -> {
                before[0] = current.state();
                NodeStatus merged = merge(current.status(), report, now);
                if (!lead.leading()) {
                    return merged; // facts only: merge kept the control plane's state and conditions
                }
                return evaluate(current, merged, new HeartbeatMonitor.Liveness(true, Duration.ZERO), now);
            }, lead.fence());
        } catch (NotFoundException e) {
            monitor.forget(name);
            throw e;
        } catch (FencedException e) {
            stepDown(lead);
            return heartbeat(name, report);
        }
        notifyListeners(l -> l.heartbeat(name));
        if (before[0] != stored.state()) {
            notifyTransition(new StateTransition(name, before[0], stored.state(), now, readyReason(stored)));
        }
        return stored;
    }

    /**
     * Watches nodes: first an ADDED event for each node the selector matches now, then every change,
     * in order, on a thread of the watch's own. A node that stops matching gets a DELETED event, and
     * one that starts matching an ADDED event. Close the returned watch to stop.
     *
     * @param sink receives events; it may block (the watch buffers), and if it falls too far behind
     *             the watch closes and calls {@code onClose} with the reason
     */
    public Watch watch(LabelSelector selector, Consumer<WatchEvent> sink, Consumer<String> onClose) {
        return watches.open(selector, sink, onClose);
    }

    /** How many nodes are in each state now. */
    public Map<NodeState, Long> countByState() {
        Map<NodeState, Long> counts = new EnumMap<>(NodeState.class);
        for (NodeState s : NodeState.values()) {
            counts.put(s, 0L);
        }
        for (Node n : list()) {
            counts.merge(n.state(), 1L, Long::sum);
        }
        return counts;
    }

    public void addListener(ControlPlaneListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public boolean isLeader() {
        return leadership.get().leading();
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public NodeStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- ticking

    /**
     * One round of the monitor: follows the store's change feed (heartbeats that other replicas
     * received), then marks every node whose silence passed the timeout. Only the leader does
     * anything. The background thread calls this every tick interval; tests call it directly after
     * advancing their fake ticker.
     */
    public void tick() {
        synchronized (tickLock) {
            Leadership lead = leadership.get();
            if (!lead.leading()) {
                return;
            }
            if (!election.exclusive()) {
                // Other replicas write to the store too: learn of their heartbeats and spec changes.
                // A sole writer skips this; every write already went through it (and the feed would
                // cost one rule evaluation per heartbeat).
                followChanges(lead);
            }
            for (String name : monitor.expire()) {
                reevaluate(name, lead);
            }
        }
    }

    /** Delivers pending store changes to open watches. The background thread calls this; tests may too. */
    public void pumpWatches() {
        watches.pump();
    }

    /** A background task that logs a failure and runs again next time, instead of dying silently. */
    private static Runnable logFailures(Runnable task, String whatFailed) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, whatFailed, e);
            }
        };
    }

    private void followChanges(Leadership lead) {
        while (true) {
            List<Change> changes;
            try {
                changes = store.changesSince(followedRevision, FEED_PAGE);
            } catch (HistoryGoneException e) {
                resync();
                return;
            }
            for (Change c : changes) {
                followedRevision = c.revision();
                String name = c.node().name();
                switch (c.type()) {
                    case DELETED -> monitor.forget(name);
                    case ADDED, MODIFIED -> {
                        if (!monitor.tracks(name)) {
                            trackWithGrace(c.node());
                        } else {
                            monitor.heartbeatIfNewer(name, c.node().status().lastHeartbeat());
                        }
                        Node n = c.node();
                        NodeStatus wanted = evaluate(n, n.status(), monitor.liveness(name), clock.instant());
                        if (!sameOutcome(wanted, n.status())) {
                            reevaluate(name, lead);
                        }
                    }
                }
            }
            if (changes.size() < FEED_PAGE) {
                return;
            }
        }
    }

    private void reevaluate(String name, Leadership lead) {
        Instant now = clock.instant();
        NodeState[] before = new NodeState[1];
        Node stored;
        try {
            stored = store.updateStatus(name, current -> {
                before[0] = current.state();
                NodeStatus next = evaluate(current, current.status(), liveness(current), now);
                return sameOutcome(next, current.status()) ? current.status() : next;
            }, lead.fence());
        } catch (NotFoundException e) {
            monitor.forget(name);
            return;
        } catch (FencedException e) {
            stepDown(lead);
            return;
        }
        if (before[0] != stored.state()) {
            notifyTransition(new StateTransition(name, before[0], stored.state(), now, readyReason(stored)));
        }
    }

    // ---------------------------------------------------------------- leadership

    private void leadershipChanged(boolean leading, Fence fence) {
        Leadership previous = leadership.getAndSet(leading ? new Leadership(true, fence) : Leadership.FOLLOWING);
        if (previous.leading() == leading && previous.fence().equals(fence)) {
            return;
        }
        if (leading) {
            synchronized (tickLock) {
                Leadership lead = leadership.get();
                for (Node n : resync().nodes()) {
                    // Writes made while nobody led (a follower stored a heartbeat, a spec changed) are
                    // evaluated now, with the grace the monitor has just granted.
                    NodeStatus wanted = evaluate(n, n.status(), monitor.liveness(n.name()), clock.instant());
                    if (!sameOutcome(wanted, n.status())) {
                        reevaluate(n.name(), lead);
                    }
                }
            }
        } else {
            monitor.clear();
        }
        if (previous.leading() != leading) {
            notifyListeners(l -> l.leadership(leading));
        }
    }

    private void stepDown(Leadership lead) {
        if (leadership.compareAndSet(lead, Leadership.FOLLOWING)) {
            LOG.warning("a fenced write was refused: this replica is no longer the leader; stepping down");
            monitor.clear();
        }
    }

    /** Starts every stored node afresh in the monitor, with a full grace period from now. */
    private NodeStore.Snapshot resync() {
        NodeStore.Snapshot snapshot = store.list();
        monitor.clear();
        for (Node n : snapshot.nodes()) {
            trackWithGrace(n);
        }
        followedRevision = snapshot.revision();
        return snapshot;
    }

    private void trackWithGrace(Node n) {
        boolean seen = n.status().lastHeartbeat() != null;
        boolean alreadySilent = n.status().condition(Condition.NO_HEARTBEAT)
                .map(c -> c.status() == ConditionStatus.TRUE).orElse(false);
        if (alreadySilent) {
            monitor.trackSilent(n.name(), seen, n.status().lastHeartbeat());
        } else {
            monitor.track(n.name(), seen, n.status().lastHeartbeat());
        }
    }

    // ---------------------------------------------------------------- evaluation

    private HeartbeatMonitor.Liveness liveness(Node current) {
        if (!monitor.tracks(current.name())) {
            trackWithGrace(current);
        }
        return monitor.liveness(current.name());
    }

    private NodeStatus evaluate(Node node, NodeStatus facts, HeartbeatMonitor.Liveness liveness, Instant now) {
        StateRule.Outcome outcome = StateRule.evaluate(new StateRule.Input(node.spec(), facts.claim(),
                facts.agentConditions(), node.status().conditions(),
                liveness.heartbeatSeen() || facts.lastHeartbeat() != null, liveness.silence(),
                heartbeatTimeout, facts.lastHeartbeat(), now));
        return new NodeStatus(outcome.state(), facts.network(), facts.capacity(), facts.allocatable(), facts.info(),
                facts.lastHeartbeat(), outcome.conditions(), facts.claim());
    }

    private static boolean sameOutcome(NodeStatus a, NodeStatus b) {
        return a.state() == b.state() && a.conditions().equals(b.conditions());
    }

    /** Merges a heartbeat report into a status, as DESIGN.md's heartbeat rules say. */
    static NodeStatus merge(NodeStatus current, HeartbeatReport report, Instant now) {
        List<Condition> conditions = current.conditions();
        AgentClaim claim = current.claim();
        if (report.conditions() != null) {
            List<Condition> agent = new ArrayList<>();
            Condition readyClaim = null;
            for (Condition c : report.conditions()) {
                if (Condition.READY.equals(c.type())) {
                    readyClaim = c;
                } else if (!c.ownedByControlPlane()) {
                    agent.add(new Condition(c.type(), c.status(), c.reason(), c.message(), now, c.lastTransitionTime()));
                }
            }
            List<Condition> kept = new ArrayList<>();
            for (Condition c : current.conditions()) {
                if (c.ownedByControlPlane()) {
                    kept.add(c);
                }
            }
            kept.addAll(agent);
            conditions = kept;
            if (report.state() == null && readyClaim != null) {
                // Some agents say "I am not ready" with a Ready condition instead of a state.
                NodeState claimed = readyClaim.status() == ConditionStatus.TRUE ? NodeState.READY
                        : readyClaim.status() == ConditionStatus.FALSE ? NodeState.NOT_READY : null;
                if (claimed != null) {
                    claim = new AgentClaim(claimed, readyClaim.reason(), readyClaim.message());
                }
            } else if (report.state() != null) {
                claim = new AgentClaim(report.state(), readyClaim == null ? null : readyClaim.reason(),
                        readyClaim == null ? null : readyClaim.message());
            }
        } else if (report.state() != null) {
            claim = new AgentClaim(report.state(), null, null);
        }
        return new NodeStatus(current.state(),
                report.network() == null ? current.network() : unlessEqual(current.network(), current.network().merge(report.network())),
                report.capacity() == null ? current.capacity() : unlessEqual(current.capacity(), report.capacity()),
                report.allocatable() == null ? current.allocatable() : unlessEqual(current.allocatable(), report.allocatable()),
                report.info() == null ? current.info() : unlessEqual(current.info(), report.info()),
                now, conditions, unlessEqual(current.claim(), claim));
    }

    /**
     * The value the node already holds when the report repeats it. Agents report the same facts beat
     * after beat; keeping the stored instance lets the fresh copy die young instead of living on in the
     * store's change history, which under load is most of the garbage collector's copying work.
     */
    private static <T> T unlessEqual(T held, T reported) {
        return Objects.equals(held, reported) ? held : reported;
    }

    private static String readyReason(Node node) {
        return node.status().condition(Condition.READY).map(Condition::reason).orElse(null);
    }

    private void notifyTransition(StateTransition t) {
        notifyListeners(l -> l.transition(t));
    }

    /** Listeners must not throw; one that does is logged and the others still hear the news. */
    private void notifyListeners(Consumer<ControlPlaneListener> event) {
        for (ControlPlaneListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "a control-plane listener failed", ex);
            }
        }
    }

    // ---------------------------------------------------------------- builder

    /**
     * Builds a {@link ControlPlane}. Each setting is checked when it is set and may be set once.
     * Only {@link #store} is required.
     */
    public static final class Builder {
        private NodeStore store;
        private Clock clock;
        private Ticker ticker;
        private Duration heartbeatTimeout;
        private Duration tickInterval;
        private Duration watchInterval;
        private DeletionGuard deletionGuard;
        private Boolean manualTicksSet;
        private boolean manualTicks;
        private final List<ControlPlaneListener> listeners = new ArrayList<>();

        private Builder() {
        }

        public Builder store(NodeStore value) {
            requireUnset(store, "store");
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The wall clock for timestamps (createdAt, lastHeartbeat, transitions). Default: UTC system clock. */
        public Builder clock(Clock value) {
            requireUnset(clock, "clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The monotonic time source for heartbeat ages. Default: {@link Ticker#system()}. */
        public Builder ticker(Ticker value) {
            requireUnset(ticker, "ticker");
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** How much silence makes a node NotReady. Default: 90 s. */
        public Builder heartbeatTimeout(Duration value) {
            requireUnset(heartbeatTimeout, "heartbeatTimeout");
            requirePositive(value, "heartbeatTimeout");
            heartbeatTimeout = value;
            return this;
        }

        /** How often the monitor checks for silent nodes; at most 1 s. Default: 250 ms. */
        public Builder tickInterval(Duration value) {
            requireUnset(tickInterval, "tickInterval");
            requirePositive(value, "tickInterval");
            if (value.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("tickInterval must be at most 1s so that a timeout is seen within 1s, was " + value);
            }
            tickInterval = value;
            return this;
        }

        /** How often watches are fed from the store's change feed. Default: 50 ms. */
        public Builder watchInterval(Duration value) {
            requireUnset(watchInterval, "watchInterval");
            requirePositive(value, "watchInterval");
            watchInterval = value;
            return this;
        }

        /** What may veto a delete. Default: {@link DeletionGuard#ALLOW_ALL}. */
        public Builder deletionGuard(DeletionGuard value) {
            requireUnset(deletionGuard, "deletionGuard");
            deletionGuard = Objects.requireNonNull(value, "deletionGuard");
            return this;
        }

        /**
         * With {@code true}, {@link #start()} starts no background thread: the caller drives
         * {@link ControlPlane#tick()} and {@link ControlPlane#pumpWatches()} itself (tests do this).
         */
        public Builder manualTicks(boolean value) {
            requireUnset(manualTicksSet, "manualTicks");
            manualTicksSet = value;
            manualTicks = value;
            return this;
        }

        public Builder listener(ControlPlaneListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        public ControlPlane build() {
            if (store == null) {
                throw new IllegalStateException("a store is required: builder().store(MemoryStore.create()) or StoreProvider.openUrl(url)");
            }
            if (clock == null) {
                clock = Clock.systemUTC();
            }
            if (ticker == null) {
                ticker = Ticker.system();
            }
            if (heartbeatTimeout == null) {
                heartbeatTimeout = Duration.ofSeconds(90);
            }
            if (tickInterval == null) {
                tickInterval = Duration.ofMillis(250);
            }
            if (watchInterval == null) {
                watchInterval = Duration.ofMillis(50);
            }
            if (deletionGuard == null) {
                deletionGuard = DeletionGuard.ALLOW_ALL;
            }
            return new ControlPlane(this);
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
