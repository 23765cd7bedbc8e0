package dev.cara.sdk;

/**
 * Hears what the control plane does, for metrics, logs and events. Callbacks run on the thread that
 * did the work, after it is stored, so they must be quick and must not throw; an exception is
 * logged and otherwise ignored.
 */
public interface ControlPlaneListener {
    /** A node's state really changed (never called for an evaluation that changed nothing). */
    default void transition(StateTransition transition) {
    }

    /** A heartbeat was applied to a node. */
    default void heartbeat(String name) {
    }

    /** The project controllers (on the leader) scheduled, moved, tore down or removed a project. */
    default void project(ProjectEvent event) {
    }

    /** This replica gained or lost the leadership that runs the heartbeat monitor. */
    default void leadership(boolean leading) {
    }
}
