package dev.cara.agent;

import dev.cara.agent.spi.StatusReport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one pass of the {@link ProjectReconciler} did, as a value: the caller logs it, counts it and
 * picks when to run the next pass ({@link #settled()}); tests assert on it.
 *
 * @param steps   what was done or found, project by project, in order; never null
 * @param skipped why the whole pass did nothing (the server could not be asked), or empty
 */
public record ReconcileOutcome(List<Step> steps, Optional<String> skipped) {
    public ReconcileOutcome {
        steps = List.copyOf(steps);
        Objects.requireNonNull(skipped, "skipped");
    }

    /** What the reconciler did with one project. */
    public enum Action {
        /**
         * Asked the runtime to start the project's services: for the first time when the detail is empty,
         * else again for those not up yet (a Docker container created but never started).
         */
        STARTED,
        /** Wrote the project's status ({@link Step#report()}). */
        REPORTED,
        /** The server refused the report: the project moved on (another node, a newer phase); the next pass sees it. */
        REPORT_REFUSED,
        /** Stopped and removed the project's containers and ephemeral volumes. */
        TORN_DOWN,
        /** The project is starting: nothing to report yet. */
        WAITING,
        /** The runtime or the server could not be reached for this project; the next pass tries again. */
        RETRY
    }

    /**
     * @param project the project's name
     * @param action  what happened
     * @param report  for REPORTED and REPORT_REFUSED the report, else {@code null}
     * @param detail  words for the log: why, or the error; may be empty
     */
    public record Step(String project, Action action, StatusReport report, String detail) {
        public Step {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(action, "action");
            detail = detail == null ? "" : detail;
        }
    }

    /** Whether nothing is waiting or to be retried: the next pass may come later. */
    public boolean settled() {
        return skipped.isEmpty() && steps.stream().noneMatch(s -> s.action() == Action.WAITING || s.action() == Action.RETRY);
    }

    /** The steps about one project, in order. */
    public List<Step> stepsOf(String project) {
        return steps.stream().filter(s -> s.project().equals(project)).toList();
    }

    /** The reports accepted in this pass. */
    public List<StatusReport> reportsOf(String project) {
        return stepsOf(project).stream().filter(s -> s.action() == Action.REPORTED).map(Step::report).toList();
    }
}
