package dev.cara.sdk;

import dev.cara.sdk.spi.EventStore;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records the control plane's facts as events in an {@link EventStore}: node transitions as a
 * {@link ControlPlaneListener} ({@link NodeEvents}), and, called by the controllers, re-registrations,
 * flap holds and project decisions ({@link ProjectEvents}). The wall-clock time of each event is
 * the injected clock's (a transition brings its own).
 *
 * <p>Events are cheap to lose, and the work they describe matters more: a store that fails makes the
 * recorder count the event as {@linkplain #dropped() dropped} and log the first failure, never throw.
 *
 * <p>Thread-safe: it holds no state but the drop counter; the store orders concurrent records.
 */
public final class EventRecorder implements ControlPlaneListener {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());

    private final EventStore store;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();

    private EventRecorder(EventStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static EventRecorder into(EventStore store, Clock clock) {
        return new EventRecorder(store, clock);
    }

    @Override
    public void transition(StateTransition transition) {
        NodeEvents.forTransition(transition).forEach(this::record);
    }

    /** A node registered again under a name it had. */
    public void reregistered(String node) {
        record(NodeEvents.reregistered(node, clock.instant()));
    }

    /** Call when {@link FlapDamper.Verdict#holdStarted()}: flap damping began to hold {@code node}. */
    public void flapping(String node, Condition flapping) {
        record(NodeEvents.flapping(node, flapping, clock.instant()));
    }

    /** Call when flap damping let {@code node} go (its {@link FlapDamper#FLAPPING} condition is gone). */
    public void flappingEnded(String node) {
        record(NodeEvents.flappingEnded(node, clock.instant()));
    }

    /** After the scheduler's decision for {@code project} was stored. */
    public void scheduled(String project, ProjectScheduling.Outcome outcome) {
        ProjectEvents.forScheduling(project, outcome, clock.instant()).ifPresent(this::record);
    }

    /** After the lifecycle's decision for {@code project} was stored. */
    public void reconciled(String project, ProjectLifecycle.Outcome outcome) {
        ProjectEvents.forLifecycle(project, outcome, clock.instant()).ifPresent(this::record);
    }

    /** Records {@code event}, or counts it dropped when the store fails. */
    public void record(Event event) {
        try {
            store.record(event);
        } catch (RuntimeException e) {
            if (dropped.getAndIncrement() == 0) {
                LOG.log(Level.WARNING, "could not record an event in " + store.describe()
                        + "; dropping it and any that fail after it (see dropped())", e);
            }
        }
    }

    /** How many events the store refused since this recorder started. */
    public long dropped() {
        return dropped.get();
    }
}
