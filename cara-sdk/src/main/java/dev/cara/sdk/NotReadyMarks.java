package dev.cara.sdk;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Since when each node has been NotReady (or gone), as the project lifecycle controller observed it:
 * the clock of the rescheduling grace period. A mark is set when a node is first seen NotReady or
 * missing and cleared as soon as it is seen Ready or Draining, so a node that recovers and fails
 * again gets a whole grace period again.
 *
 * <p>The marks are the controller's own observations and live only in its memory, as the heartbeat
 * monitor's deadlines do: a new leader starts without marks, so every node gets a full grace period
 * from the moment it is first seen, whatever happened before.
 *
 * <p>Feed it every node change the controller hears of ({@link #observe}), not only the nodes of the
 * projects it reconciles, so that a recovery between two reconciles still clears the mark.
 *
 * <p>Not thread-safe: the controller loop that owns it is its only user.
 */
public final class NotReadyMarks {
    // Owned by the controller loop's thread.
    private final Map<String, Instant> since = new HashMap<>();

    /**
     * Records what the controller sees of a node now and returns since when it has been NotReady.
     *
     * @param name the node's name
     * @param node the node, or {@code null} when no node has that name
     * @return when it was first seen NotReady or missing, without a recovery since; empty when it is
     *         Ready or Draining
     */
    public Optional<Instant> observe(String name, Node node, Instant now) {
        if (node != null && node.state() != NodeState.NOT_READY) {
            since.remove(name);
            return Optional.empty();
        }
        return Optional.of(since.computeIfAbsent(name, n -> now));
    }

    /** The mark of a node, without observing it. */
    public Optional<Instant> since(String name) {
        return Optional.ofNullable(since.get(name));
    }

    /** Drops the mark of a node that no project refers to any more. */
    public void forget(String name) {
        since.remove(name);
    }

    /**
     * Drops the marks of every node but these. Every node change is observed, a deletion too (it
     * marks the name as missing), so without this the marks of deleted nodes would pile up for as long
     * as the leader lives. A node no project holds needs no grace clock: a project is only bound to a
     * Ready node, whose mark is gone anyway.
     */
    public void retainOnly(Set<String> names) {
        since.keySet().retainAll(names);
    }

    /** Drops every mark: a new leader starts with none. */
    public void clear() {
        since.clear();
    }

    /** How many nodes are marked. */
    public int size() {
        return since.size();
    }
}
