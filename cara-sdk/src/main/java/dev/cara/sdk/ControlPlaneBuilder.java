package dev.cara.sdk;

import static dev.cara.sdk.BuilderChecks.once;
import static dev.cara.sdk.BuilderChecks.positiveOnce;
import static dev.cara.sdk.BuilderChecks.requirePositive;
import static dev.cara.sdk.BuilderChecks.requireUnset;

import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link ControlPlane}. Each setting is checked when it is set and may be set once.
 * Only {@link #store} is required.
 *
 * <p>Not thread-safe: one thread configures and builds.
 */
public final class ControlPlaneBuilder {
    NodeStore store;
    Clock clock;
    Ticker ticker;
    Duration heartbeatTimeout;
    Duration tickInterval;
    Duration watchInterval;
    DeletionGuard deletionGuard;
    private Boolean manualTicksSet;
    boolean manualTicks;
    final List<ControlPlaneListener> listeners = new ArrayList<>();
    ProjectStore projects;
    String noProjects; // why there is no project store, when the node store keeps none
    Scheduler scheduler;
    ProjectLifecycle projectLifecycle;
    Duration projectResync;
    dev.cara.sdk.spi.EventStore events;
    private boolean eventsSet;
    String noEvents; // why there is no event history, when there is none
    FlapDamping flapDamping;

    ControlPlaneBuilder() {
    }

    public ControlPlaneBuilder store(NodeStore value) {
        store = once(store, value, "store");
        return this;
    }

    /** The wall clock for timestamps (createdAt, lastHeartbeat, transitions). Default: UTC system clock. */
    public ControlPlaneBuilder clock(Clock value) {
        clock = once(clock, value, "clock");
        return this;
    }

    /** The monotonic time source for heartbeat ages. Default: {@link Ticker#system()}. */
    public ControlPlaneBuilder ticker(Ticker value) {
        ticker = once(ticker, value, "ticker");
        return this;
    }

    /** How much silence makes a node NotReady. Default: 90 s. */
    public ControlPlaneBuilder heartbeatTimeout(Duration value) {
        heartbeatTimeout = positiveOnce(heartbeatTimeout, value, "heartbeatTimeout");
        return this;
    }

    /** How often the monitor checks for silent nodes; at most 1 s. Default: 250 ms. */
    public ControlPlaneBuilder tickInterval(Duration value) {
        requireUnset(tickInterval, "tickInterval");
        requirePositive(value, "tickInterval");
        if (value.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("tickInterval must be at most 1s so that a timeout is seen within 1s, was " + value);
        }
        tickInterval = value;
        return this;
    }

    /** How often watches are fed from the store's change feed. Default: 50 ms. */
    public ControlPlaneBuilder watchInterval(Duration value) {
        watchInterval = positiveOnce(watchInterval, value, "watchInterval");
        return this;
    }

    /**
     * Where projects are kept. Default: {@link NodeStore#projects() store.projects()}, so that one store
     * holds both and fences project writes with the same election. When the store keeps no projects
     * and none is given, the control plane runs without them: {@link ControlPlane#projects()} says why.
     */
    public ControlPlaneBuilder projects(ProjectStore value) {
        projects = once(projects, value, "projects");
        return this;
    }

    /** How the scheduler filters and scores nodes. Default: {@link Scheduler#standard()}. */
    public ControlPlaneBuilder scheduler(Scheduler value) {
        scheduler = once(scheduler, value, "scheduler");
        return this;
    }

    /**
     * The grace period and termination timeout of the project lifecycle. Default: a grace period of 3x
     * the {@link #heartbeatTimeout}, and {@link ProjectLifecycle#DEFAULT_TERMINATION_TIMEOUT}.
     */
    public ControlPlaneBuilder projectLifecycle(ProjectLifecycle value) {
        projectLifecycle = once(projectLifecycle, value, "projectLifecycle");
        return this;
    }

    /**
     * How often the project controllers look at every project even when nothing seems to have changed
     * (node edits made on other replicas reach them this way). Default: 30 s.
     */
    public ControlPlaneBuilder projectResync(Duration value) {
        projectResync = positiveOnce(projectResync, value, "projectResync");
        return this;
    }

    /**
     * Where the control plane records its events (nodes registered, Ready, NotReady, flapping, projects
     * scheduled, expired...). Default: {@link NodeStore#events() store.events()}; when the store keeps
     * none, the control plane runs without an event history and {@link ControlPlane#events} says why.
     */
    public ControlPlaneBuilder events(dev.cara.sdk.spi.EventStore value) {
        requireUnset(eventsSet ? Boolean.TRUE : null, "events");
        events = Objects.requireNonNull(value, "events");
        eventsSet = true;
        return this;
    }

    /** Runs without an event history, even when the store keeps one. */
    public ControlPlaneBuilder noEvents() {
        requireUnset(eventsSet ? Boolean.TRUE : null, "events");
        eventsSet = true;
        noEvents = "this control plane was built without an event history (ControlPlaneBuilder.noEvents())";
        return this;
    }

    /**
     * Flap damping: a node that goes NotReady to Ready too often is held NotReady (condition
     * {@code Flapping}) until it has been stable for the hold-off. Default: {@link FlapDamping#disabled()}.
     */
    public ControlPlaneBuilder flapDamping(FlapDamping value) {
        requireUnset(flapDamping, "flapDamping");
        flapDamping = Objects.requireNonNull(value, "flapDamping");
        return this;
    }

    /**
     * What may veto a node delete, besides the projects assigned to it ({@link ProjectDeletionGuard},
     * always consulted first when there is a project store). Default: nothing else.
     */
    public ControlPlaneBuilder deletionGuard(DeletionGuard value) {
        deletionGuard = once(deletionGuard, value, "deletionGuard");
        return this;
    }

    /**
     * With {@code true}, {@link #start()} starts no background thread: the caller drives
     * {@link ControlPlane#tick()} and {@link ControlPlane#pumpWatches()} itself (tests do this).
     */
    public ControlPlaneBuilder manualTicks(boolean value) {
        requireUnset(manualTicksSet, "manualTicks");
        manualTicksSet = value;
        manualTicks = value;
        return this;
    }

    public ControlPlaneBuilder listener(ControlPlaneListener value) {
        listeners.add(Objects.requireNonNull(value, "listener"));
        return this;
    }

    public ControlPlane build() {
        if (store == null) {
            throw new IllegalStateException("a store is required: builder().store(MemoryStore.create()) or StoreProvider.openUrl(url)");
        }
        clock = Objects.requireNonNullElseGet(clock, Clock::systemUTC);
        ticker = Objects.requireNonNullElseGet(ticker, Ticker::system);
        heartbeatTimeout = Objects.requireNonNullElse(heartbeatTimeout, Duration.ofSeconds(90));
        tickInterval = Objects.requireNonNullElse(tickInterval, Duration.ofMillis(250));
        watchInterval = Objects.requireNonNullElse(watchInterval, Duration.ofMillis(50));
        deletionGuard = Objects.requireNonNullElse(deletionGuard, DeletionGuard.ALLOW_ALL);
        if (projects == null) {
            try {
                projects = store.projects();
            } catch (UnsupportedOperationException e) {
                noProjects = e.getMessage();
            }
        }
        if (projects != null) {
            DeletionGuard assigned = new ProjectDeletionGuard(projects);
            DeletionGuard other = deletionGuard;
            deletionGuard = node -> assigned.blockingReason(node).or(() -> other.blockingReason(node));
        }
        if (!eventsSet) {
            try {
                events = store.events();
            } catch (UnsupportedOperationException e) {
                noEvents = e.getMessage();
            }
        }
        flapDamping = Objects.requireNonNullElseGet(flapDamping, FlapDamping::disabled);
        scheduler = Objects.requireNonNullElseGet(scheduler, Scheduler::standard);
        projectLifecycle = Objects.requireNonNullElseGet(projectLifecycle,
                () -> ProjectLifecycle.builder().heartbeatTimeout(heartbeatTimeout).build());
        projectResync = Objects.requireNonNullElse(projectResync, Duration.ofSeconds(30));
        return new ControlPlane(this);
    }
}
