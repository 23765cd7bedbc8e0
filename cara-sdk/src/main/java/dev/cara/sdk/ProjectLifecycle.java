package dev.cara.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The project lifecycle's reconciler: for one project, given its node and the time, what the control
 * plane must do about it. Idempotent and side-effect free: it returns the decision as a value
 * ({@link Outcome}) in the java-operator-sdk manner, with when to look again, and the caller writes it.
 *
 * <ul>
 *   <li>Expiry: past {@code spec.expireAt}, a Scheduled or Running project turns Terminating (Phase
 *       reason {@value #EXPIRED}); a Pending or Failed one, which runs nowhere, is removed.</li>
 *   <li>Rescheduling: a Scheduled or Running project whose node has been NotReady (or gone) longer
 *       than the grace period goes back to Pending with no node (reason {@value #NODE_NOT_READY});
 *       a Terminating one there is forced Terminated after the termination timeout (reason
 *       {@value #TERMINATION_TIMEOUT}), as its agent cannot report it. Draining never moves a
 *       project: only NotReady counts.</li>
 *   <li>Termination: a Terminated project is removed.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. The NotReady-since marks are the caller's ({@link NotReadyMarks}).
 */
public final class ProjectLifecycle {
    /** The heartbeat timeout the defaults derive from, as the server's default. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);
    /** How long a NotReady node keeps a project Terminating before it is forced Terminated. */
    public static final Duration DEFAULT_TERMINATION_TIMEOUT = Duration.ofMinutes(10);

    /** Phase reason of a project torn down because it expired. */
    public static final String EXPIRED = "Expired";
    /** Phase reason of a project moved back to Pending because its node stayed NotReady or went away. */
    public static final String NODE_NOT_READY = "NodeNotReady";
    /** Phase reason of a project forced Terminated because its node could not tear it down in time. */
    public static final String TERMINATION_TIMEOUT = "TerminationTimeout";
    /** Phase reason of a project that holds a node without naming one: nothing can be running. */
    public static final String NO_NODE = "NoNode";

    private final Duration gracePeriod;
    private final Duration terminationTimeout;

    private ProjectLifecycle(Duration gracePeriod, Duration terminationTimeout) {
        this.gracePeriod = gracePeriod;
        this.terminationTimeout = terminationTimeout;
    }

    /** The defaults: a grace period of 3x the default heartbeat timeout, and a 10-minute termination timeout. */
    public static ProjectLifecycle standard() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    public Duration terminationTimeout() {
        return terminationTimeout;
    }

    /**
     * {@link #reconcile(Project, Node, Optional, Instant)} with the node looked up in {@code nodes} and
     * its NotReady-since mark observed in {@code marks}.
     */
    public Outcome reconcile(Project project, Map<String, Node> nodes, NotReadyMarks marks, Instant now) {
        String ref = project.status().nodeRef();
        if (ref == null || !project.phase().holdsNode()) {
            return reconcile(project, null, Optional.empty(), now);
        }
        Node node = nodes.get(ref);
        return reconcile(project, node, marks.observe(ref, node, now), now);
    }

    /**
     * What to do about {@code project} now.
     *
     * @param node           the node in {@code status.nodeRef}, or {@code null} when there is no such node
     *                       (or the project names none)
     * @param notReadySince  since when that node has been NotReady or gone, as {@link NotReadyMarks}
     *                       observed it; empty counts as "from now"
     */
    public Outcome reconcile(Project project, Node node, Optional<Instant> notReadySince, Instant now) {
        ProjectPhase phase = project.phase();
        String ref = project.status().nodeRef();
        if (phase == ProjectPhase.TERMINATED) {
            return new Remove(ProjectPhase.TERMINATED.wireName(), "torn down");
        }
        Instant expireAt = project.spec().expireAt();
        if (project.spec().expiredAt(now)) {
            String message = "expired at " + expireAt;
            switch (phase) {
                case PENDING, FAILED -> {
                    return new Remove(EXPIRED, message + "; nothing ran on a node");
                }
                case SCHEDULED, RUNNING -> {
                    return new Transition(phase, ref, ProjectPhase.TERMINATING, ref, EXPIRED, message + "; tearing it down");
                }
                default -> {
                    // Terminating already: its node may still have to be given up on, below.
                }
            }
        }
        Duration recheck = expireAt != null && now.isBefore(expireAt) ? Duration.between(now, expireAt) : null;
        if (phase.holdsNode()) {
            ProjectPhase next = phase == ProjectPhase.TERMINATING ? ProjectPhase.TERMINATED : ProjectPhase.PENDING;
            if (ref == null) {
                return new Transition(phase, null, next, null, NO_NODE, "it names no node, so nothing runs for it");
            }
            if (node == null || node.state() == NodeState.NOT_READY) {
                Duration down = Duration.between(notReadySince.orElse(now), now);
                Duration limit = phase == ProjectPhase.TERMINATING ? terminationTimeout : gracePeriod;
                if (down.compareTo(limit) >= 0) {
                    return strand(project, node == null, down, limit, next);
                }
                recheck = earlier(recheck, limit.minus(down));
            }
        }
        return new Keep(Optional.ofNullable(recheck));
    }

    private static Transition strand(Project project, boolean gone, Duration down, Duration limit, ProjectPhase next) {
        String ref = project.status().nodeRef();
        String how = "node \"" + ref + "\" has been " + (gone ? "gone" : "NotReady") + " for " + Durations.format(down);
        if (next == ProjectPhase.PENDING) {
            return new Transition(project.phase(), ref, next, null, NODE_NOT_READY, how + ", longer than the grace period of "
                    + Durations.format(limit) + "; back to Pending, to be scheduled on another node");
        }
        return new Transition(project.phase(), ref, next, ref, TERMINATION_TIMEOUT, how + ", longer than the termination timeout of "
                + Durations.format(limit) + "; Terminated without its agent, so containers may be left on the node");
    }

    private static Duration earlier(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    /** A lifecycle decision. */
    public sealed interface Outcome permits Keep, Transition, Remove {
    }

    /**
     * Nothing to do now.
     *
     * @param recheckAfter when something may be due (the expiry, the end of a grace period); empty when
     *                     only a change of the project or its node can make a difference
     */
    public record Keep(Optional<Duration> recheckAfter) implements Outcome {
        public Keep {
            Objects.requireNonNull(recheckAfter, "recheckAfter");
        }
    }

    /**
     * Move the project from {@code from} on {@code nodeRef} to {@code to} on {@code newNodeRef}, with a
     * Phase condition giving {@code reason} and {@code message}.
     */
    public record Transition(ProjectPhase from, String nodeRef, ProjectPhase to, String newNodeRef, String reason,
                             String message) implements Outcome {
        public Transition {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * The status to store, computed from the project's current state inside the store's status
         * mutation: a compare-and-set on what this decision was made from.
         *
         * @throws ConflictException when the project's phase or node changed since the decision
         */
        public ProjectStatus apply(Project current, Instant now) {
            ProjectStatus status = current.status();
            if (status.phase() != from || !Objects.equals(status.nodeRef(), nodeRef)) {
                throw new ConflictException("project \"" + current.name() + "\" changed since it was reconciled: it is "
                        + status.phase() + (status.nodeRef() == null ? "" : " on node \"" + status.nodeRef() + "\"")
                        + ", not " + from + (nodeRef == null ? "" : " on node \"" + nodeRef + "\"") + "; reconcile it again");
            }
            ProjectStatus next = status.transition(current.name(), to, ProjectPhase.Actor.CONTROL_PLANE, newNodeRef,
                    reason, message, now);
            if (to == ProjectPhase.PENDING) {
                next = next.withCondition(Condition.of(ProjectStatus.SCHEDULED, ConditionStatus.FALSE, reason, message), now);
            }
            return next;
        }
    }

    /**
     * Remove the project's record.
     *
     * @param reason why, one CamelCase word ({@code Terminated}, {@value #EXPIRED})
     */
    public record Remove(String reason, String message) implements Outcome {
        /**
         * Whether the removal still fits the project as it is now: pass it to the store's delete as its
         * precondition, so that a project that moved on in the meantime stays.
         */
        public boolean appliesTo(Project current, Instant now) {
            return switch (current.phase()) {
                case TERMINATED -> true;
                case PENDING, FAILED -> current.spec().expiredAt(now);
                default -> false;
            };
        }
    }

    /** Sets the durations; each must be positive. */
    public static final class Builder {
        private Duration gracePeriod;
        private Duration terminationTimeout = DEFAULT_TERMINATION_TIMEOUT;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;

        private Builder() {
        }

        /** The nodes' heartbeat timeout; the grace period is 3x it unless set on its own. */
        public Builder heartbeatTimeout(Duration value) {
            this.heartbeatTimeout = positive("heartbeatTimeout", value);
            return this;
        }

        /** How long a node may stay NotReady before its Scheduled and Running projects go back to Pending. */
        public Builder gracePeriod(Duration value) {
            this.gracePeriod = positive("gracePeriod", value);
            return this;
        }

        /** How long a node may stay NotReady before its Terminating projects are forced Terminated. */
        public Builder terminationTimeout(Duration value) {
            this.terminationTimeout = positive("terminationTimeout", value);
            return this;
        }

        public ProjectLifecycle build() {
            return new ProjectLifecycle(gracePeriod != null ? gracePeriod : heartbeatTimeout.multipliedBy(3), terminationTimeout);
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidException(name, value == null ? null : value.toString(),
                        "a positive duration such as 90s or 5m");
            }
            return value;
        }
    }
}
