package dev.cara.sdk;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a flapping node NotReady. A <em>flap</em> is an observation of Ready right after one of
 * NotReady (Draining in between breaks the pair). When a flap makes more than
 * {@link FlapDamping#maxFlaps()} flaps within {@link FlapDamping#window()} (a flap exactly one window
 * old no longer counts), the node is <em>held</em>: {@link #observe} turns its Ready into NotReady and
 * reports the {@value #FLAPPING} condition, until the node has gone {@link FlapDamping#holdOff()}
 * without being NotReady, counted from its first observation after the last NotReady one. Flaps stay counted for their window, hold or no
 * hold, so a node released while its window is still full is held again at its next flap.
 *
 * <p>The state rule consults it: feed it the state the rule computed ({@link #observe}) on every
 * evaluation and publish the state it returns; the scheduler then skips a held node as it skips any
 * NotReady one. Draining passes through unchanged: it already keeps new work away.
 *
 * <p>Time is the injected {@link Ticker} (all arithmetic) and {@link Clock} (only to say in the
 * condition's message until when). With {@link FlapDamping#disabled()} it keeps nothing and returns
 * every state as given.
 *
 * <p><b>Concurrency.</b> Safe for many threads: heartbeats of different nodes evaluate on different
 * threads. Each node's record is owned by the map's {@code compute} for that name, so observations
 * of one node are serialised. Observing is not undone when the caller's write fails afterwards; a
 * retried evaluation observes the same state again, which counts no second flap.
 */
public final class FlapDamper {
    /** The condition type a held node carries, True while held. */
    public static final String FLAPPING = "Flapping";
    /** The reason of the {@value #FLAPPING} condition; a held node's Ready=False has the reason {@value #FLAPPING}. */
    public static final String REASON = "TooManyReadyTransitions";

    private final FlapDamping settings;
    private final Ticker ticker;
    private final Clock clock;
    private final long windowNanos;
    private final long holdOffNanos;
    // Each value is guarded by compute() on its key.
    private final ConcurrentHashMap<String, Flaps> nodes = new ConcurrentHashMap<>();

    private FlapDamper(FlapDamping settings, Ticker ticker, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowNanos = settings.window().toNanos();
        this.holdOffNanos = settings.holdOff().toNanos();
    }

    public static FlapDamper create(FlapDamping settings, Ticker ticker, Clock clock) {
        return new FlapDamper(settings, ticker, clock);
    }

    public FlapDamping settings() {
        return settings;
    }

    /**
     * Records that the state rule computed {@code computed} for {@code name} now, and returns the
     * state to publish: {@code computed}, except NotReady instead of Ready while the node is held.
     */
    public Verdict observe(String name, NodeState computed) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(computed, "computed");
        if (!settings.enabled()) {
            return Verdict.free(computed);
        }
        long now = ticker.read();
        // Every heartbeat of the leader comes here: a plain get finds the record (compute would lock the
        // map's bin and allocate a capture each time). The record's own monitor serialises observations;
        // one that races a forget() lands on the forgotten record, as if it had come just before it.
        Flaps f = nodes.get(name);
        if (f == null) {
            f = nodes.computeIfAbsent(name, n -> new Flaps());
        }
        return f.observe(computed, now);
    }

    /** Whether {@code name} is held now (without observing it). */
    public boolean held(String name) {
        Flaps f = nodes.get(name);
        if (f == null) {
            return false;
        }
        synchronized (f) {
            return f.holding(ticker.read());
        }
    }

    /** The {@value #FLAPPING} condition while {@code name} is held (without observing it); empty otherwise. */
    public Optional<Condition> condition(String name) {
        Flaps f = nodes.get(name);
        if (f == null) {
            return Optional.empty();
        }
        synchronized (f) {
            long now = ticker.read();
            return f.holding(now) ? Optional.of(f.condition(now)) : Optional.empty();
        }
    }

    /** Forgets every node: a new leader starts with no flaps counted, as its monitor starts with full grace. */
    public void clear() {
        nodes.clear();
    }

    /** Drops what is known of a deleted node. */
    public void forget(String name) {
        nodes.remove(name);
    }

    /** How many nodes it keeps a record of. */
    public int size() {
        return nodes.size();
    }

    /**
     * What {@link #observe} decided.
     *
     * @param state       the state to publish
     * @param flapping    the {@value #FLAPPING} condition (True) while the node is held; empty otherwise
     * @param holdStarted whether this observation started the hold: record a Flapping event
     */
    public record Verdict(NodeState state, Optional<Condition> flapping, boolean holdStarted) {
        public Verdict {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(flapping, "flapping");
        }

        public boolean held() {
            return flapping.isPresent();
        }

        // A node not held (nearly every observation of every heartbeat) gets one of these shared instances.
        private static final Verdict[] FREE = Arrays.stream(NodeState.values())
                .map(s -> new Verdict(s, Optional.empty(), false)).toArray(Verdict[]::new);

        /** The verdict that leaves {@code state} as it is: no hold, none started. */
        static Verdict free(NodeState state) {
            return FREE[state.ordinal()];
        }
    }

    /** One node's flaps and hold. Guarded by its own monitor. */
    private final class Flaps {
        private final ArrayDeque<Long> times = new ArrayDeque<>(2); // most nodes flap rarely: one per node adds up at fleet scale
        private NodeState last;
        private boolean held;
        private long holdUntil;

        synchronized Verdict observe(NodeState computed, long now) {
            held = holding(now);
            while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
                times.pollFirst();
            }
            boolean recovered = last == NodeState.NOT_READY && computed != NodeState.NOT_READY;
            boolean flap = recovered && computed == NodeState.READY;
            last = computed;
            boolean started = false;
            if (flap) {
                times.addLast(now);
                if (!held && times.size() > settings.maxFlaps()) {
                    held = true;
                    started = true;
                }
            }
            if (held && (recovered || computed == NodeState.NOT_READY)) {
                // Stability counts from the first observation after the last NotReady one.
                holdUntil = now + holdOffNanos;
            }
            NodeState state = held && computed == NodeState.READY ? NodeState.NOT_READY : computed;
            return held ? new Verdict(state, Optional.of(condition(now)), started) : Verdict.free(state);
        }

        // Held, and not yet stable for the hold-off (a node still NotReady has not begun to be stable).
        boolean holding(long now) {
            return held && (last == NodeState.NOT_READY || now - holdUntil < 0);
        }

        Condition condition(long now) {
            Instant until = clock.instant().plusNanos(holdUntil - now);
            String message = "went NotReady -> Ready " + times.size() + " times within " + Durations.format(settings.window())
                    + " (more than " + settings.maxFlaps() + "); held NotReady until " + until.truncatedTo(ChronoUnit.SECONDS)
                    + ", once it has gone " + Durations.format(settings.holdOff()) + " without being NotReady";
            return Condition.of(FLAPPING, ConditionStatus.TRUE, REASON, message);
        }
    }

    @Override
    public String toString() {
        return "FlapDamper[" + settings + ", " + nodes.size() + " nodes]";
    }
}
