package dev.cara.sdk;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's state changed.
 *
 * @param name the node
 * @param from the state before; null when the node was just registered
 * @param to   the state after; null when the node was deleted
 * @param at   when the control plane recorded it (wall clock)
 * @param reason the Ready condition's reason after the change, or null
 */
public record StateTransition(String name, NodeState from, NodeState to, Instant at, String reason) {
    public StateTransition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
    }
}
