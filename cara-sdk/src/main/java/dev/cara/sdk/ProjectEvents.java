package dev.cara.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The events a project's scheduling and lifecycle make: pure functions from the controllers'
 * decisions ({@link ProjectScheduling.Outcome}, {@link ProjectLifecycle.Outcome}) to {@link Event}s
 * about the project. Record them after the decision was stored, not before: a decision that lost its
 * compare-and-set did not happen. See {@link EventReason} for the catalogue.
 */
public final class ProjectEvents {
    private ProjectEvents() {
    }

    /** Bound to a node, or no node can take it; nothing for a skip. */
    public static Optional<Event> forScheduling(String project, ProjectScheduling.Outcome outcome, Instant at) {
        Objects.requireNonNull(outcome, "outcome");
        return switch (outcome) {
            case ProjectScheduling.Bind bind -> Optional.of(event(project, EventType.NORMAL, EventReason.PROJECT_SCHEDULED, at,
                    "scheduled to node \"" + bind.node() + "\""));
            case ProjectScheduling.Unschedulable u -> Optional.of(event(project, EventType.WARNING,
                    EventReason.PROJECT_UNSCHEDULABLE, at, "no node can take it: " + u.message()));
            case ProjectScheduling.Skip skip -> Optional.empty();
        };
    }

    /** Expired, rescheduled off a NotReady node, terminated, removed, or another phase change; nothing to keep. */
    public static Optional<Event> forLifecycle(String project, ProjectLifecycle.Outcome outcome, Instant at) {
        Objects.requireNonNull(outcome, "outcome");
        return switch (outcome) {
            case ProjectLifecycle.Keep keep -> Optional.empty();
            case ProjectLifecycle.Transition t -> Optional.of(transition(project, t, at));
            case ProjectLifecycle.Remove r -> Optional.of(event(project, EventType.NORMAL,
                    ProjectLifecycle.EXPIRED.equals(r.reason()) ? EventReason.PROJECT_EXPIRED : EventReason.PROJECT_TERMINATED,
                    at, "removed: " + (r.message() != null ? r.message() : r.reason())));
        };
    }

    private static Event transition(String project, ProjectLifecycle.Transition t, Instant at) {
        String why = t.message() != null ? t.message() : t.reason();
        if (ProjectLifecycle.EXPIRED.equals(t.reason())) {
            return event(project, EventType.NORMAL, EventReason.PROJECT_EXPIRED, at, why);
        }
        if (t.to() == ProjectPhase.PENDING && ProjectLifecycle.NODE_NOT_READY.equals(t.reason())) {
            return event(project, EventType.WARNING, EventReason.PROJECT_RESCHEDULED, at, why);
        }
        if (t.to() == ProjectPhase.TERMINATED) {
            EventType type = ProjectLifecycle.TERMINATION_TIMEOUT.equals(t.reason()) ? EventType.WARNING : EventType.NORMAL;
            return event(project, type, EventReason.PROJECT_TERMINATED, at, why);
        }
        return event(project, EventType.NORMAL, EventReason.PROJECT_PHASE_CHANGED, at,
                t.from() + " -> " + t.to() + " (" + t.reason() + "): " + why);
    }

    private static Event event(String project, EventType type, String reason, Instant at, String message) {
        return Event.builder().type(type).reason(reason).project(project).at(at).message(Event.fitMessage(message)).build();
    }
}
