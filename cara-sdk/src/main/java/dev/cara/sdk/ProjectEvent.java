package dev.cara.sdk;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the project controllers did, for {@link ControlPlaneListener#project}: a server counts
 * these in metrics, an embedder may log them.
 *
 * @param kind    what happened
 * @param project the project's name
 * @param node    the node it concerns (bound to, left, torn down on), or {@code null}
 * @param message the sentence written in the project's condition, or {@code null}
 * @param at      when, by the control plane's clock
 */
public record ProjectEvent(Kind kind, String project, String node, String message, Instant at) {
    public ProjectEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(at, "at");
    }

    /** The kinds of event, one per decision the controllers write. */
    public enum Kind {
        /** Bound to a node. */
        SCHEDULED,
        /** No node can take it; its {@code Scheduled=False} condition changed (not repeated while unchanged). */
        UNSCHEDULABLE,
        /** Past its {@code expireAt}: turned Terminating, or removed when it ran nowhere. */
        EXPIRED,
        /** Its node stayed NotReady past the grace period: back to Pending. */
        RESCHEDULED,
        /** Forced Terminated: its node could not tear it down within the termination timeout. */
        TERMINATED,
        /** A Terminated project's record was removed. */
        REMOVED
    }
}
