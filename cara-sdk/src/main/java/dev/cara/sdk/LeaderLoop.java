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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The leader's half of the control plane: it takes part in the store's {@link LeaderElection}, owns
 * the {@link HeartbeatMonitor}, follows the store's change feed for writes other replicas made, and
 * expires silent nodes. The {@link ControlPlane} facade asks it who leads and how to evaluate a node.
 *
 * <p><b>Ownership.</b> {@code lead} is an atomically swapped immutable value: the election's listener
 * sets it ({@link #leadershipChanged}), {@link #stepDown} clears it with a compare-and-set, and every
 * thread reads it. {@code tickLock} is held by {@link #tick()} and by gaining leadership, and guards
 * {@code followedRevision} and the monitor's resync (clear, then track every node), so a tick and a
 * leadership change never interleave. The monitor is thread-safe by itself: heartbeat threads feed
 * it without the lock. Listeners are told after the store write, outside any lock of this class
 * except {@code tickLock} on the tick's own thread.
 */
final class LeaderLoop {
    private static final Logger LOG = Logger.getLogger(ControlPlane.LEADERSHIP_LOGGER);
    private static final int FEED_PAGE = 10_000;

    private final NodeStore store;
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final LeaderElection election;
    private final HeartbeatMonitor monitor;
    private final Listeners listeners;
    private final AtomicReference<Lead> lead = new AtomicReference<>(Lead.FOLLOWING);
    private final Object tickLock = new Object();
    private long followedRevision; // guarded by tickLock
    private final ProjectControllers projects; // null: no project store
    private final FlapDamper damper; // thread-safe by itself; cleared whenever leadership changes, as the monitor
    private final ControlPlaneEvents events;

    /** The term a write is made under: a snapshot of {@code lead}, compared by identity on step-down. */
    record Lead(boolean leading, Fence fence) {
        static final Lead FOLLOWING = new Lead(false, Fence.NONE);
    }

    LeaderLoop(NodeStore store, Clock clock, Ticker ticker, Duration heartbeatTimeout, Listeners listeners,
               ProjectControllers projects, FlapDamping flapDamping, ControlPlaneEvents events) {
        this.projects = projects;
        this.damper = FlapDamper.create(flapDamping, ticker, clock);
        this.events = events;
        this.store = store;
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.election = store.leaderElection();
        this.monitor = new HeartbeatMonitor(ticker, heartbeatTimeout);
        this.listeners = listeners;
    }

    void start() {
        election.start(this::leadershipChanged);
    }

    void close() {
        election.close();
        leadershipChanged(false, Fence.NONE);
    }

    Lead lead() {
        return lead.get();
    }

    Leadership leadership() {
        Lead l = lead.get();
        return new Leadership(election.holder(), l.leading(), l.leading() ? l.fence().term() : 0);
    }

    // ---------------------------------------------------------------- the monitor, for the facade

    /**
     * A node was just registered in {@code state}: the leader starts its grace period now, and flap
     * damping sees the state, so that every NotReady-to-Ready change counts alike, the first one too.
     */
    void registered(String name, NodeState state) {
        if (lead.get().leading()) {
            monitor.track(name, false, null);
            damper.observe(name, state);
        }
    }

    /** A heartbeat arrived here; only the leader's monitor counts it. */
    void heard(String name, Instant at, Lead l) {
        if (l.leading()) {
            monitor.heartbeat(name, at);
        }
    }

    void forget(String name) {
        monitor.forget(name);
        damper.forget(name);
    }

    /**
     * After a write of node {@code after} over {@code before} (as the mutation read it) at {@code now}:
     * the listeners hear of a state change, and the event history of flap damping's hold or release.
     */
    void written(Node before, Node after, Instant now) {
        events.afterWrite(before, after); // a release comes before the Ready it allows
        if (before != null && before.state() != after.state()) {
            listeners.transition(new StateTransition(after.name(), before.state(), after.state(), now, readyReason(after)));
        }
    }

    /** A node's labels or spec changed without a state change: the scheduler should look again. */
    void nodeEdited(String name) {
        if (projects != null) {
            projects.nodeChanged(name);
        }
    }

    // ---------------------------------------------------------------- ticking

    /** How many nodes the project controllers hold NotReady marks for; 0 without a project store (tests). */
    int markedNodes() {
        return projects == null ? 0 : projects.markedNodes();
    }

    /**
     * One pass of the project controllers, on the leader only and under its term: a leadership lost
     * meanwhile ends the pass before its next write, and a refused write steps down.
     */
    void reconcileProjects() {
        Lead l = lead.get();
        if (projects == null || !l.leading()) {
            return;
        }
        projects.run(new ProjectControllers.Term() {
            @Override
            public boolean current() {
                return lead.get() == l;
            }

            @Override
            public Fence fence() {
                return l.fence();
            }

            @Override
            public void refused(FencedException e) {
                stepDown(l, e);
            }
        });
    }

    /** Follows the feed when other replicas write too, then expires silent nodes: the leader only. */
    void tick() {
        synchronized (tickLock) {
            Lead l = lead.get();
            if (!l.leading()) {
                return;
            }
            if (!election.exclusive()) {
                // Other replicas write to the store too: learn of their heartbeats and spec changes.
                // A sole writer skips this; every write already went through it (and the feed would
                // cost one rule evaluation per heartbeat).
                followChanges(l);
            }
            expire(l);
            events.compactIfDue();
        }
    }

    /**
     * Every node whose silence passed the timeout, in one {@link NodeStore#updateStatuses} call: after
     * a partition heals thousands may expire in one tick, and a store can write them in one statement.
     */
    private void expire(Lead l) {
        reevaluateAll(monitor.expire(), l);
    }

    /**
     * Writes what the rule wants now for each of {@code names}, in one {@link NodeStore#updateStatuses}
     * call: the expiry of a tick, and the transitions a page of the change feed or a resync calls for
     * (10,000 agents coming back after a partition are 10,000 Ready transitions), so that a store can
     * write them in one statement instead of one transaction each.
     *
     * @return false when the store refused the fence and this replica stepped down
     */
    private boolean reevaluateAll(Collection<String> names, Lead l) {
        if (names.isEmpty()) {
            return true;
        }
        Instant now = clock.instant();
        Map<String, Node> before = new ConcurrentHashMap<>(); // a store may run mutations on its own threads
        Map<String, Function<Node, NodeStatus>> mutations = new LinkedHashMap<>();
        for (String name : names) {
            mutations.put(name, current -> {
                before.put(name, current);
                return reevaluated(current, now);
            });
        }
        Map<String, Node> stored;
        try {
            stored = store.updateStatuses(mutations, l.fence());
        } catch (FencedException e) {
            stepDown(l, e);
            return false;
        }
        for (String name : names) {
            Node n = stored.get(name);
            if (n == null) {
                forget(name); // deleted meanwhile
            } else {
                written(before.get(name), n, now);
            }
        }
        return true;
    }

    private void followChanges(Lead l) {
        while (true) {
            List<Change> changes;
            try {
                changes = store.changesSince(followedRevision, FEED_PAGE);
            } catch (HistoryGoneException e) {
                resync();
                return;
            }
            Set<String> toWrite = new LinkedHashSet<>();
            for (Change c : changes) {
                followedRevision = c.revision();
                String name = c.node().name();
                switch (c.type()) {
                    case DELETED -> {
                        monitor.forget(name);
                        toWrite.remove(name);
                    }
                    case ADDED, MODIFIED -> {
                        if (!monitor.tracks(name)) {
                            trackWithGrace(c.node());
                        } else {
                            monitor.heartbeatIfNewer(name, c.node().status().lastHeartbeat());
                        }
                        Node n = c.node();
                        NodeStatus wanted = evaluate(n, n.status(), monitor.liveness(name), clock.instant());
                        if (!sameOutcome(wanted, n.status())) {
                            toWrite.add(name);
                        }
                    }
                }
            }
            if (!reevaluateAll(toWrite, l)) {
                return;
            }
            if (changes.size() < FEED_PAGE) {
                return;
            }
        }
    }

    /** The node's status as the rule wants it now, or the very instance it has when nothing changes. */
    private NodeStatus reevaluated(Node current, Instant now) {
        NodeStatus next = evaluate(current, current.status(), liveness(current), now);
        return sameOutcome(next, current.status()) ? current.status() : next;
    }

    // ---------------------------------------------------------------- leadership

    private void leadershipChanged(boolean leading, Fence fence) {
        Lead previous = lead.getAndSet(leading ? new Lead(true, fence) : Lead.FOLLOWING);
        if (previous.leading() == leading && previous.fence().equals(fence)) {
            return;
        }
        damper.clear(); // a new term counts flaps afresh, as it gives every node a full grace period
        if (leading) {
            LOG.log(changeLevel(), () -> "this replica (" + election.holder() + ") now leads" + term(fence)
                    + "; every node gets a full heartbeat timeout from now");
            synchronized (tickLock) {
                Lead l = lead.get();
                Set<String> toWrite = new LinkedHashSet<>();
                for (Node n : resync().nodes()) {
                    // Writes made while nobody led (a follower stored a heartbeat, a spec changed) are
                    // evaluated now, with the grace the monitor has just granted.
                    NodeStatus wanted = evaluate(n, n.status(), monitor.liveness(n.name()), clock.instant());
                    if (!sameOutcome(wanted, n.status())) {
                        toWrite.add(n.name());
                    }
                }
                reevaluateAll(toWrite, l);
            }
        } else {
            if (previous.leading()) {
                LOG.log(changeLevel(), () -> "this replica (" + election.holder() + ") stopped leading" + term(previous.fence()));
            }
            monitor.clear();
        }
        if (projects != null) {
            projects.leadershipChanged();
        }
        if (previous.leading() != leading) {
            listeners.tell(x -> x.leadership(leading));
        }
    }

    /** A fenced write was refused: stop leading at once, before the election itself notices. */
    void stepDown(Lead l, FencedException why) {
        if (lead.compareAndSet(l, Lead.FOLLOWING)) {
            LOG.info(() -> "this replica (" + election.holder() + ") stopped leading" + term(l.fence())
                    + ": the store refused a fenced write (" + why.getMessage() + ")");
            monitor.clear();
            damper.clear();
            if (projects != null) {
                projects.leadershipChanged();
            }
            listeners.tell(x -> x.leadership(false));
        }
    }

    /** A sole writer always leads: that is no news, while a change among replicas is. */
    private Level changeLevel() {
        return election.exclusive() ? Level.FINE : Level.INFO;
    }

    private static String term(Fence f) {
        return f.fenced() ? " term " + f.term() : "";
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

    /** What the monitor knows of the node, tracking it (with a full grace period) if it did not yet. */
    HeartbeatMonitor.Liveness liveness(Node current) {
        if (!monitor.tracks(current.name())) {
            trackWithGrace(current);
        }
        return monitor.liveness(current.name());
    }

    /**
     * The status with the state and conditions the {@link StateRule} gives for these facts, as flap
     * damping publishes it. The damper observes every evaluation; one observed again (a retried
     * mutation, a comparison before a write) counts no second flap.
     */
    NodeStatus evaluate(Node node, NodeStatus facts, HeartbeatMonitor.Liveness liveness, Instant now) {
        StateRule.Outcome computed = StateRule.evaluate(new StateRule.Input(node.spec(), facts.claim(),
                facts.agentConditions(), node.status().conditions(),
                liveness.heartbeatSeen() || facts.lastHeartbeat() != null, liveness.silence(),
                heartbeatTimeout, facts.lastHeartbeat(), now));
        StateRule.Outcome outcome = StateRule.damped(computed, damper.observe(node.name(), computed.state()),
                node.status().conditions(), facts.lastHeartbeat(), now);
        return new NodeStatus(outcome.state(), facts.network(), facts.capacity(), facts.allocatable(), facts.info(),
                facts.lastHeartbeat(), outcome.conditions(), facts.claim());
    }

    private static boolean sameOutcome(NodeStatus a, NodeStatus b) {
        return a.state() == b.state() && a.conditions().equals(b.conditions());
    }

    static String readyReason(Node node) {
        return node.status().condition(Condition.READY).map(Condition::reason).orElse(null);
    }
}
