package dev.cara.agent.spi;

/** Where one service of a running project is. */
public enum ServiceState {
    /** Created or starting, not yet up (an image being pulled, a start delay, a restart). */
    STARTING,
    /** Up. */
    RUNNING,
    /** Could not start, or stopped by itself: it will not come up without the agent's help. */
    FAILED
}
