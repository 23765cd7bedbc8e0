package dev.cara.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which nodes have gone silent, from its own observations on an injected monotonic
 * {@link Ticker}. A node's deadline is the monitor's own time of its last heartbeat (or of when the
 * monitor started tracking it) plus the timeout; the stored timestamps and the agent's clock never
 * matter. Starting to track a node therefore grants it a full grace period, which is what a
 * control-plane restart or a new leader needs.
 *
 * <p><b>Cost.</b> A heartbeat is O(1) and takes no lock: it writes the node's entry. Deadlines live
 * in a priority queue with at most one slot per node; {@link #expire()} pops only slots whose
 * deadline has passed, and re-queues (O(log n)) those whose node heartbeated meanwhile. A tick over
 * 100,000 quiet nodes therefore costs almost nothing, and no tick scans every node.
 *
 * <p><b>Ownership.</b> {@code entries} is a concurrent map; each {@link Entry}'s {@code lastNanos}
 * and {@code lastHeartbeat} are volatile and written by heartbeat threads. {@code queue} and each
 * entry's {@code queued} flag are guarded by {@code this}.
 */
final class HeartbeatMonitor {
    private final Ticker ticker;
    private final long timeoutNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final PriorityQueue<Slot> queue = new PriorityQueue<>();

    public HeartbeatMonitor(Ticker ticker, Duration timeout) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /** What the monitor knows of one node's heartbeats. */
    public record Liveness(boolean heartbeatSeen, Duration silence) {
        /** A node the monitor does not track: treated as silent past its timeout. */
        public static final Liveness UNKNOWN = new Liveness(false, null);
    }

    /**
     * Records a heartbeat, observed now.
     *
     * @param receivedAt the wall-clock time stamped on the heartbeat, kept so that a change feed that
     *                   replays the same heartbeat does not count it twice
     */
    public void heartbeat(String name, Instant receivedAt) {
        long now = ticker.read();
        Entry e = entries.get(name);
        if (e == null) {
            e = entries.computeIfAbsent(name, n -> new Entry());
        }
        e.lastHeartbeat = receivedAt;
        e.heartbeatSeen = true;
        e.lastNanos = now;
        if (!e.queued) {
            enqueue(name, e, now);
        }
    }

    /**
     * Records a heartbeat seen in another replica's write, unless it was already observed here.
     *
     * @return whether it was new
     */
    public boolean heartbeatIfNewer(String name, Instant receivedAt) {
        Entry e = entries.get(name);
        if (receivedAt == null || (e != null && e.lastHeartbeat != null && !receivedAt.isAfter(e.lastHeartbeat))) {
            return false;
        }
        heartbeat(name, receivedAt);
        return true;
    }

    /**
     * Starts tracking a node with a full grace period from now, as if heard from just now.
     *
     * @param heartbeatSeen whether the node ever heartbeated (before this monitor tracked it)
     * @param lastHeartbeat the stored time of its last heartbeat, or null
     */
    public void track(String name, boolean heartbeatSeen, Instant lastHeartbeat) {
        Entry e = new Entry();
        e.heartbeatSeen = heartbeatSeen;
        e.lastHeartbeat = lastHeartbeat;
        e.lastNanos = ticker.read();
        entries.put(name, e);
        enqueue(name, e, e.lastNanos);
    }

    /**
     * Tracks a node that is already known to be past its timeout (its stored NoHeartbeat condition
     * is True): no grace, no deadline, until its next heartbeat.
     */
    public void trackSilent(String name, boolean heartbeatSeen, Instant lastHeartbeat) {
        Entry e = new Entry();
        e.heartbeatSeen = heartbeatSeen;
        e.lastHeartbeat = lastHeartbeat;
        e.silentPastTimeout = true;
        entries.put(name, e);
    }

    /** Stops tracking a node (it was deleted). */
    public void forget(String name) {
        entries.remove(name);
    }

    /** Stops tracking every node, for example on losing leadership. */
    public synchronized void clear() {
        entries.clear();
        queue.clear();
    }

    public boolean tracks(String name) {
        return entries.containsKey(name);
    }

    public int size() {
        return entries.size();
    }

    /** The node's liveness as of now, for the {@link StateRule}. */
    public Liveness liveness(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            return Liveness.UNKNOWN;
        }
        if (e.silentPastTimeout && e.lastNanos == Long.MIN_VALUE) {
            return new Liveness(e.heartbeatSeen, null);
        }
        return new Liveness(e.heartbeatSeen, Duration.ofNanos(Math.max(0, ticker.read() - e.lastNanos)));
    }

    /**
     * The nodes whose silence has passed the timeout since the last call. Each silence is reported
     * once: a node comes back only after it heartbeats again and goes silent again.
     */
    public synchronized List<String> expire() {
        long now = ticker.read();
        List<String> expired = new ArrayList<>();
        Slot head;
        while ((head = queue.peek()) != null && now - head.deadline > 0) {
            queue.poll();
            Entry e = entries.get(head.name);
            if (e != head.entry) {
                continue; // forgotten or re-tracked; a newer slot exists if it still matters
            }
            long deadline = e.lastNanos + timeoutNanos;
            if (now - deadline > 0) {
                e.queued = false;
                // A heartbeat writes lastNanos and then reads queued; we wrote queued and now read
                // lastNanos. With both volatile, one of us sees the other: either the heartbeat
                // re-queues the node itself, or we see its new time here and keep it queued.
                long again = e.lastNanos + timeoutNanos;
                if (now - again > 0) {
                    expired.add(head.name);
                } else {
                    e.queued = true;
                    queue.add(new Slot(head.name, e, again));
                }
            } else {
                queue.add(new Slot(head.name, e, deadline));
            }
        }
        return expired;
    }

    /** The number of queued deadlines (one per node at most); for tests and metrics. */
    public synchronized int queuedDeadlines() {
        return queue.size();
    }

    private synchronized void enqueue(String name, Entry e, long now) {
        if (!e.queued && entries.get(name) == e) {
            e.queued = true;
            e.silentPastTimeout = false;
            queue.add(new Slot(name, e, now + timeoutNanos));
        }
    }

    private static final class Entry {
        volatile long lastNanos = Long.MIN_VALUE;
        volatile Instant lastHeartbeat;
        volatile boolean heartbeatSeen;
        volatile boolean silentPastTimeout;
        volatile boolean queued; // written only under the monitor's lock; read by heartbeats without it
    }

    private record Slot(String name, Entry entry, long deadline) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            return Long.signum(deadline - o.deadline); // nanoTime values compare by difference
        }
    }
}
