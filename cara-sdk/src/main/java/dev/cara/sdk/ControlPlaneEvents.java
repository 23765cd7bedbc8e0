package dev.cara.sdk;

import dev.cara.sdk.spi.EventStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the control plane records in its event history, and when. Node transitions arrive as a
 * {@link ControlPlaneListener}, told after the write was stored; the leader calls the rest after its
 * own writes were stored under its term ({@link #afterWrite} for flap damping, {@link #scheduled} and
 * {@link #reconciled} from the project controllers), so a write the store refused records nothing.
 * Registrations and deletes are recorded by the replica that made them: they are the caller's writes,
 * which happen once, on whichever replica received them.
 *
 * <p>Recording never fails or delays the work it describes beyond the store's own {@code record}
 * (which the SPI allows to buffer): the {@link EventRecorder} drops and counts what the store refuses.
 * With no event store every method does nothing.
 *
 * <p><b>Ownership.</b> {@code lastCompaction} is written by the tick thread only (an atomic so that
 * any thread may read it); the recorder is thread-safe by itself.
 */
final class ControlPlaneEvents implements ControlPlaneListener {
    private static final Logger LOG = Logger.getLogger(ControlPlaneEvents.class.getName());
    /** How often the leader asks the store to forget events past their age; a quiet store forgets too. */
    static final Duration COMPACT_EVERY = Duration.ofMinutes(1);

    private final EventStore store; // null: no event history
    private final EventRecorder recorder; // null with the store
    private final Clock clock;
    private final Ticker ticker;
    private final AtomicLong lastCompaction;
    private final AtomicLong compactionFailures = new AtomicLong();

    ControlPlaneEvents(EventStore store, Clock clock, Ticker ticker) {
        this.store = store;
        this.recorder = store == null ? null : EventRecorder.into(store, clock);
        this.clock = clock;
        this.ticker = ticker;
        this.lastCompaction = new AtomicLong(ticker.read());
    }

    Optional<EventStore> store() {
        return Optional.ofNullable(store);
    }

    @Override
    public void transition(StateTransition t) {
        if (recorder != null) {
            recorder.transition(t);
        }
    }

    /**
     * Whether the history already holds events about node {@code name}: asked before a registration
     * is recorded, so that a name registered again (after a delete) is told apart from a new one.
     */
    boolean knows(String name) {
        if (store == null) {
            return false;
        }
        try {
            return !store.list(EventFilter.about(InvolvedObject.node(name)).withLimit(1)).events().isEmpty();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not read the event history of node " + name, e);
            return false;
        }
    }

    void reregistered(String name) {
        if (recorder != null) {
            recorder.reregistered(name);
        }
    }

    /**
     * After the leader stored {@code after} over {@code before}: flap damping began to hold the node
     * (its {@code Flapping} condition appeared) or let it go (the condition went).
     */
    void afterWrite(Node before, Node after) {
        if (recorder == null || after == null) {
            return;
        }
        Optional<Condition> now = flapping(after);
        boolean was = before != null && flapping(before).isPresent();
        if (now.isPresent() && !was) {
            recorder.flapping(after.name(), now.get());
        } else if (now.isEmpty() && was) {
            recorder.flappingEnded(after.name());
        }
    }

    private static Optional<Condition> flapping(Node n) {
        return n.status().condition(FlapDamper.FLAPPING).filter(c -> c.status() == ConditionStatus.TRUE);
    }

    /** After a scheduling decision for {@code project} was stored. */
    void scheduled(String project, ProjectScheduling.Outcome outcome) {
        if (recorder != null) {
            recorder.scheduled(project, outcome);
        }
    }

    /** After a lifecycle decision for {@code project} was stored. */
    void reconciled(String project, ProjectLifecycle.Outcome outcome) {
        if (recorder != null) {
            recorder.reconciled(project, outcome);
        }
    }

    /** From the leader's tick: at most every {@link #COMPACT_EVERY}, the store forgets what is past its age. */
    void compactIfDue() {
        long now = ticker.read();
        if (store == null || now - lastCompaction.get() < COMPACT_EVERY.toNanos()) {
            return;
        }
        lastCompaction.set(now);
        try {
            store.compact(clock.instant());
        } catch (RuntimeException e) {
            if (compactionFailures.getAndIncrement() == 0) {
                LOG.log(Level.WARNING, "could not compact the event history in " + store.describe()
                        + "; retrying every " + Durations.format(COMPACT_EVERY), e);
            }
        }
    }

    /** Events the store refused (dropped) since this control plane started. */
    long dropped() {
        return recorder == null ? 0 : recorder.dropped();
    }
}
