package dev.cara.sdk;

import dev.cara.sdk.spi.FencedException;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

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
 * <p>Every write the leader makes on behalf of the control loop (a state it computed for a spec
 * change, a heartbeat or a silence) carries its term's fence; when the store refuses it, the replica
 * steps down at once and, for a caller's write, makes it again as a follower.
 *
 * <p><b>Threads and ownership.</b> The store owns the nodes; every change is an atomic
 * read-modify-write in the store, so no lock here guards node data. The {@link LeaderLoop} owns
 * leadership, the monitor, the followed feed revision and {@code tickLock}; the {@link WatchHub} owns
 * watches; {@code lifecycle} is a compare-and-set, and {@code background} owns the two threads
 * that tick and deliver watches, so delivering watches never waits behind a tick's store writes
 * (thousands of nodes expiring after a partition).
 */
public final class ControlPlane implements AutoCloseable {
    /**
     * The logger that says when this replica starts and stops leading, at INFO: operators need to see
     * it with the server's default logging, which shows little else below WARNING.
     */
    public static final String LEADERSHIP_LOGGER = "dev.cara.leadership";
    /** A delete re-reads and re-checks the guard this often when the node keeps changing under it. */
    static final int DELETE_ATTEMPTS = 10;

    private final NodeStore store;
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Duration tickInterval;
    private final Duration watchInterval;
    private final DeletionGuard deletionGuard;
    private final boolean manualTicks;
    private final Listeners listeners;
    private final LeaderLoop loop;
    private final WatchHub<Node, WatchEvent> watches;
    private final ProjectControl projects; // null: the store keeps no projects
    private final String noProjects;
    private final ControlPlaneEvents events;
    private final String noEvents; // why there is no event history, when there is none
    private final WatchHub<Event, EventWatchEvent> eventWatches; // null without an event history
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
    private final Background background = new Background();

    private enum Lifecycle { LATENT, STARTED, CLOSED }

    ControlPlane(ControlPlaneBuilder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.tickInterval = b.tickInterval;
        this.watchInterval = b.watchInterval;
        this.deletionGuard = b.deletionGuard;
        this.manualTicks = b.manualTicks;
        this.listeners = new Listeners(b.listeners);
        this.noProjects = b.noProjects;
        this.events = new ControlPlaneEvents(b.events, clock, b.ticker);
        this.noEvents = b.noEvents;
        this.eventWatches = b.events == null ? null : WatchHub.events(b.events);
        listeners.add(events);
        ProjectControllers controllers = null;
        if (b.projects != null) {
            this.projects = new ProjectControl(b.projects, store, clock);
            controllers = new ProjectControllers(b.projects, store, clock, b.ticker, b.scheduler, b.projectLifecycle,
                    b.projectResync, listeners, events);
            ProjectControllers c = controllers;
            listeners.add(new ControlPlaneListener() {
                @Override
                public void transition(StateTransition t) {
                    c.nodeChanged(t.name()); // a state change may free, block or strand projects
                }
            });
        } else {
            this.projects = null;
        }
        this.loop = new LeaderLoop(store, clock, b.ticker, heartbeatTimeout, listeners, controllers, b.flapDamping, events);
        this.watches = WatchHub.nodes(store);
    }

    public static ControlPlaneBuilder builder() {
        return new ControlPlaneBuilder();
    }

    /**
     * Starts campaigning for leadership and, unless built with {@link Builder#manualTicks}, the
     * background threads that tick the monitor and feed watches.
     *
     * @throws IllegalStateException if already started or closed
     */
    public ControlPlane start() {
        if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("the control plane was already started or closed");
        }
        if (!manualTicks) {
            background.every(tickInterval, "cara-control-loop", this::tick,
                    "the heartbeat monitor's tick failed; retrying next tick");
            background.every(watchInterval, "cara-watch-pump", this::pumpWatches,
                    "delivering watch events failed; retrying");
            if (projects != null) {
                // Apart from the monitor's tick: a scheduling pass over many projects must not delay expiry.
                background.every(tickInterval, "cara-project-controllers", loop::reconcileProjects,
                        "a project controller pass failed; retrying next tick");
            }
        }
        loop.start();
        return this;
    }

    /** Stops the background work and leadership; the store stays open (its owner closes it). Idempotent. */
    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.CLOSED) {
            return;
        }
        background.stop();
        watches.closeAll();
        if (eventWatches != null) {
            eventWatches.closeAll();
        }
        if (projects != null) {
            projects.closeWatches();
        }
        loop.close();
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
        boolean again = events.knows(manifest.name()); // before this registration's own event
        Node stored = store.create(fresh);
        loop.registered(stored.name(), stored.state());
        listeners.transition(new StateTransition(stored.name(), null, stored.state(), now, LeaderLoop.readyReason(stored)));
        if (again) {
            events.reregistered(stored.name());
        }
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

    private Node update(String name, String expectedVersion, UnaryOperator<Node> change) {
        Instant now = clock.instant();
        LeaderLoop.Lead lead = loop.lead();
        Node[] before = new Node[1];
        Node stored;
        try {
            stored = store.update(name, expectedVersion, current -> {
                before[0] = current;
                Node desired = change.apply(current);
                boolean changed = !desired.sameDesiredState(current);
                Node next = desired.withMetadata(desired.metadata().withTimes(current.metadata().createdAt(),
                        changed ? now : current.metadata().updatedAt()));
                if (!lead.leading()) {
                    return next; // the status as stored: state and transitions are the leader's to write
                }
                return next.withStatus(loop.evaluate(next, current.status(), loop.liveness(current), now));
            }, lead.fence());
        } catch (FencedException e) {
            // Deposed behind our back: the state computed here is stale. Store the caller's change
            // as a follower does, and leave state to the new leader.
            loop.stepDown(lead, e);
            return update(name, expectedVersion, change);
        }
        if (before[0].state() == stored.state()) {
            loop.nodeEdited(name); // new labels or allocatable may fit a Pending project's selector
        }
        loop.written(before[0], stored, now);
        return stored;
    }

    /**
     * Deletes a node, unless the {@link DeletionGuard} objects. The guard judges the node as read, and
     * the delete happens only if the node is still at that resourceVersion: a change that lands in
     * between (an assignment, say) sends the delete back to read and ask the guard again.
     *
     * @throws NotFoundException if there is no such node
     * @throws ConflictException naming the guard's reason, when the delete is blocked, or when the
     *                           node kept changing for {@value #DELETE_ATTEMPTS} attempts
     */
    public Node delete(String name) {
        for (int attempt = 1; ; attempt++) {
            Node current = get(name);
            deletionGuard.blockingReason(current).ifPresent(reason -> {
                throw new ConflictException("node \"" + name + "\" cannot be deleted: " + reason);
            });
            Node deleted;
            try {
                deleted = store.delete(name, current.metadata().resourceVersion());
            } catch (ConflictException changed) {
                if (attempt == DELETE_ATTEMPTS) {
                    throw new ConflictException("node \"" + name + "\" changed " + DELETE_ATTEMPTS
                            + " times while being deleted; try again");
                }
                continue; // changed since the guard looked: look again
            }
            loop.forget(name);
            listeners.transition(new StateTransition(name, deleted.state(), null, clock.instant(), null));
            return deleted;
        }
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
        LeaderLoop.Lead lead = loop.lead();
        loop.heard(name, now, lead);
        Node[] before = new Node[1];
        Node stored;
        try {
            stored = store.updateStatus(name, current -> {
                before[0] = current;
                NodeStatus merged = HeartbeatMerge.merge(current.status(), report, now);
                if (!lead.leading()) {
                    return merged; // facts only: merge kept the control plane's state and conditions
                }
                return loop.evaluate(current, merged, new HeartbeatMonitor.Liveness(true, Duration.ZERO), now);
            }, lead.fence());
        } catch (NotFoundException e) {
            loop.forget(name);
            throw e;
        } catch (FencedException e) {
            loop.stepDown(lead, e);
            return heartbeat(name, report);
        }
        listeners.tell(l -> l.heartbeat(name));
        loop.written(before[0], stored, now);
        return stored;
    }

    /**
     * Watches nodes: first an ADDED event for each node the selector matches now, then every change,
     * in order, on a thread of the watch's own. A node that stops matching gets a DELETED event, and
     * one that starts matching an ADDED event. Close the returned watch to stop.
     *
     * @param sink    receives events; it may block (the watch buffers), and if it falls too far behind
     *                the watch closes and calls {@code onClose} with the reason
     * @param onClose told why the watch ended, once, on the watch's own thread after its last event
     */
    public Watch watch(LabelSelector selector, Consumer<WatchEvent> sink, Consumer<String> onClose) {
        return watches.open(selector::matches, sink, onClose);
    }

    /**
     * The project API: create, list, update, delete and watch projects, agents' status reports, and a
     * node's allocation. The leader's controllers schedule, reschedule, expire and remove projects on
     * every {@link #tick()}.
     *
     * @throws UnsupportedOperationException naming the store, when it keeps no projects and the builder
     *                                       was given no {@link ControlPlaneBuilder#projects project store}
     */
    public ProjectControl projects() {
        if (projects == null) {
            throw new UnsupportedOperationException(noProjects);
        }
        return projects;
    }

    /**
     * The event history: what the control plane recorded about nodes and projects, oldest first and
     * newest last, as {@code filter} selects it (at most its limit, the newest).
     *
     * @throws UnsupportedOperationException naming the store, when the control plane keeps no events
     */
    public EventList events(EventFilter filter) {
        return EventList.of(eventStore().list(Objects.requireNonNull(filter, "filter")).events());
    }

    /**
     * Watches the event history: an ADDED event for each event {@code filter} matches now (oldest
     * first), then each new event (ADDED) and each repeat folded into one (MODIFIED), as {@link #watch}
     * does for nodes. The filter's limit does not apply to a watch.
     *
     * @throws UnsupportedOperationException naming the store, when the control plane keeps no events
     */
    public Watch watchEvents(EventFilter filter, Consumer<EventWatchEvent> sink, Consumer<String> onClose) {
        Objects.requireNonNull(filter, "filter");
        eventStore();
        return eventWatches.open(filter, sink, onClose);
    }

    /** How many events the event store refused (and so were dropped) since this control plane was built. */
    public long droppedEvents() {
        return events.dropped();
    }

    private dev.cara.sdk.spi.EventStore eventStore() {
        return events.store().orElseThrow(() -> new UnsupportedOperationException(noEvents));
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
        listeners.add(listener);
    }

    public boolean isLeader() {
        return loop.lead().leading();
    }

    /** Whether this replica leads now, under which term, and its name in the election. */
    public Leadership leadership() {
        return loop.leadership();
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

    /** How many nodes the leader's project controllers hold NotReady marks for (tests). */
    int notReadyMarks() {
        return loop.markedNodes();
    }

    /**
     * One round of the monitor and of the project controllers: follows the store's change feed (heartbeats that other replicas
     * received), then marks every node whose silence passed the timeout, in one batch. Only the
     * leader does anything. The background thread calls this every tick interval; tests call it
     * directly after advancing their fake ticker.
     */
    public void tick() {
        loop.tick();
        loop.reconcileProjects();
    }

    /** Delivers pending store changes to open watches. The background thread calls this; tests may too. */
    public void pumpWatches() {
        watches.pump();
        if (eventWatches != null) {
            eventWatches.pump();
        }
        if (projects != null) {
            projects.pumpWatches();
        }
    }
}
