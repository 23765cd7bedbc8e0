package dev.cara.sdk;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a project is in its life. Each constant carries its own behaviour, so callers ask the phase
 * instead of comparing it, and {@link #check} is the one place that says which phase may follow which
 * and who may make that step.
 *
 * <p>The steps: the scheduler binds a Pending project (Scheduled); the agent of its node reports
 * Running or Failed, and Terminated once it has torn a Terminating project down; the control plane
 * turns a Scheduled or Running project Terminating when it is deleted or expires, back to Pending
 * when its node stayed NotReady past the grace period (or a failed project's spec changes), and a
 * Terminating one Terminated when its node stayed NotReady past the termination timeout.
 */
public enum ProjectPhase implements WireEnum {
    /** Accepted, waiting for the scheduler to pick a node. Holds nothing on any node. */
    PENDING(false, true),
    /** Bound to a node ({@code status.nodeRef}); its agent has not yet said that it runs. */
    SCHEDULED(true, false),
    /** Its node's agent reports every service up. */
    RUNNING(true, false),
    /** Its node's agent could not start it, or it stopped; the Phase condition says why. Holds no node. */
    FAILED(false, true),
    /** Deleted or expired: its node's agent is tearing it down. Still holds the node until it is gone. */
    TERMINATING(true, false),
    /** Torn down; the control plane removes the record next. */
    TERMINATED(false, false);

    /** Who moves a project from one phase to the next. */
    public enum Actor {
        /** The agent of the node in {@code status.nodeRef}, reporting what it observed. */
        AGENT("the agent"),
        /** The scheduler, binding a pending project to a node. */
        SCHEDULER("the scheduler"),
        /** The control plane's own controllers and its API: delete, expiry, rescheduling. */
        CONTROL_PLANE("the control plane");

        private final String description;

        Actor(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final String VALID = WireNames.list(ProjectPhase.class, ", ");

    // The transition table: for each phase, the phases that may follow it and who may make the step.
    // An agent may repeat its last report (a retry after a lost answer): that is allowed and writes nothing new.
    private static final Map<ProjectPhase, Map<ProjectPhase, Set<Actor>>> TRANSITIONS = new EnumMap<>(ProjectPhase.class);

    static {
        allow(PENDING, SCHEDULED, Actor.SCHEDULER);
        allow(SCHEDULED, RUNNING, Actor.AGENT);
        allow(SCHEDULED, FAILED, Actor.AGENT);
        allow(RUNNING, RUNNING, Actor.AGENT);
        allow(RUNNING, FAILED, Actor.AGENT);
        allow(FAILED, FAILED, Actor.AGENT);
        allow(TERMINATING, TERMINATED, Actor.AGENT);
        allow(TERMINATED, TERMINATED, Actor.AGENT);
        // Rescheduling off a node that stayed NotReady past the grace period.
        allow(SCHEDULED, PENDING, Actor.CONTROL_PLANE);
        allow(RUNNING, PENDING, Actor.CONTROL_PLANE);
        // A spec change of a failed project tries it again.
        allow(FAILED, PENDING, Actor.CONTROL_PLANE);
        // Delete or expiry of a project that may have containers on its node.
        allow(SCHEDULED, TERMINATING, Actor.CONTROL_PLANE);
        allow(RUNNING, TERMINATING, Actor.CONTROL_PLANE);
        // Forced, when the node stayed NotReady past the termination timeout.
        allow(TERMINATING, TERMINATED, Actor.CONTROL_PLANE);
    }

    private static void allow(ProjectPhase from, ProjectPhase to, Actor actor) {
        TRANSITIONS.computeIfAbsent(from, f -> new EnumMap<>(ProjectPhase.class))
                .computeIfAbsent(to, t -> EnumSet.noneOf(Actor.class)).add(actor);
    }

    private final boolean holdsNode;
    private final boolean specMutable;

    ProjectPhase(boolean holdsNode, boolean specMutable) {
        this.holdsNode = holdsNode;
        this.specMutable = specMutable;
    }

    /**
     * Whether a project in this phase occupies its node: its requests count against the node's
     * allocatable, and the node may not be deleted under it (Scheduled, Running, Terminating).
     */
    public boolean holdsNode() {
        return holdsNode;
    }

    /** Whether the spec may change in this phase (Pending, Failed); labels and annotations always may. */
    public boolean specMutable() {
        return specMutable;
    }

    /** Whether {@code actor} may move a project from this phase to {@code to}. */
    public boolean canTransition(ProjectPhase to, Actor actor) {
        Map<ProjectPhase, Set<Actor>> next = TRANSITIONS.get(this);
        return next != null && next.getOrDefault(to, Set.of()).contains(actor);
    }

    /**
     * Checks a step of the named project.
     *
     * @return {@code to}
     * @throws ConflictException naming the project, the current and the requested phase, and the steps
     *                           that {@code actor} may make
     */
    public ProjectPhase check(String project, ProjectPhase to, Actor actor) {
        if (!canTransition(to, actor)) {
            throw new ConflictException("project \"" + project + "\" is " + wireName() + ": " + actor
                    + " cannot move it to " + to.wireName() + "; " + actor + " may move a project " + stepsOf(actor));
        }
        return to;
    }

    // "from Scheduled to Running or Failed, from Running to Failed, ..." for the actor's steps.
    private static String stepsOf(Actor actor) {
        List<String> steps = new ArrayList<>();
        TRANSITIONS.forEach((from, next) -> {
            List<String> targets = next.entrySet().stream()
                    .filter(e -> e.getKey() != from && e.getValue().contains(actor))
                    .map(e -> e.getKey().wireName()).toList();
            if (!targets.isEmpty()) {
                steps.add("from " + from.wireName() + " to " + String.join(" or ", targets));
            }
        });
        return String.join(", ", steps);
    }

    @Override
    public String toString() {
        return wireName();
    }

    /**
     * The phase spelled exactly as on the wire (case-sensitive, as {@link NodeState#fromWire}).
     *
     * @throws InvalidException naming the field, the bad value and the valid ones
     */
    public static ProjectPhase fromWire(String field, String text) {
        return WireNames.parse(ProjectPhase.class, field, text, "one of " + VALID);
    }
}
