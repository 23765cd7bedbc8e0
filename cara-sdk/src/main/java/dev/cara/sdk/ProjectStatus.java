package dev.cara.sdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the system observes of a project. Clients never write it: the scheduler binds, the agent of
 * its node reports, and the control plane's controllers decide the rest.
 *
 * <p>Conditions use the node's {@link Condition}. Two types are the control plane's:
 * {@value #PHASE} (status always True) carries the reason and message of the latest phase change,
 * and its {@code lastTransitionTime} is when that change happened; {@value #SCHEDULED} says whether
 * the scheduler could place the project, with the reasons when it could not.
 *
 * @param phase      where the project is in its life; never null
 * @param nodeRef    the node it is bound to, or {@code null} while it is bound to none
 * @param conditions by type, at most one of each; never null
 */
public record ProjectStatus(ProjectPhase phase, String nodeRef, List<Condition> conditions) {
    /** The condition that records the latest phase change. */
    public static final String PHASE = "Phase";
    /** The condition that records whether the scheduler could place the project. */
    public static final String SCHEDULED = "Scheduled";

    /** A new project's status: Pending, on no node. */
    public static final ProjectStatus INITIAL = new ProjectStatus(ProjectPhase.PENDING, null, List.of());

    public ProjectStatus {
        Objects.requireNonNull(phase, "phase");
        nodeRef = Condition.blankToNull(nodeRef);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** The condition of the given type, if present. */
    public Optional<Condition> condition(String type) {
        return Condition.find(conditions, type);
    }

    /**
     * This status with {@code condition} in place of the one of its type. The transition time stays
     * as it was when the status did not change. When type, status, reason and message are all as
     * before, this very instance comes back, so that a store skips the write.
     */
    public ProjectStatus withCondition(Condition condition, Instant now) {
        Optional<Condition> old = condition(condition.type());
        if (old.isPresent() && sameContent(old.get(), condition)) {
            return this;
        }
        Instant transition = old.isPresent() && old.get().status() == condition.status()
                ? old.get().lastTransitionTime() : now;
        return new ProjectStatus(phase, nodeRef, replace(condition.withTimes(null, transition)));
    }

    /**
     * This status moved to {@code to} on {@code node} by {@code actor}, with the {@value #PHASE}
     * condition saying why.
     *
     * @param project the project's name, for the error
     * @param node    the node it is bound to after the step, or {@code null} for none
     * @throws ConflictException when {@code actor} may not make this step ({@link ProjectPhase#check})
     */
    public ProjectStatus transition(String project, ProjectPhase to, ProjectPhase.Actor actor, String node,
                                    String reason, String message, Instant now) {
        phase.check(project, to, actor);
        if (to == phase && Objects.equals(node, nodeRef)) {
            Optional<Condition> old = condition(PHASE);
            if (old.isPresent() && Objects.equals(old.get().reason(), Condition.blankToNull(reason))
                    && Objects.equals(old.get().message(), Condition.blankToNull(message))) {
                return this; // a repeated report: nothing new to write
            }
        }
        Condition why = new Condition(PHASE, ConditionStatus.TRUE, reason, message, null, now);
        return new ProjectStatus(to, node, replace(why));
    }

    /**
     * This status after its agent's report ({@code PATCH .../status} with {@code {phase, reason, message}}):
     * Running or Failed for a Scheduled project, Failed for a Running one, Terminated for a
     * Terminating one, or the last report again (no write). Run it inside the store's status mutation.
     *
     * @param project       the project's name, for the errors
     * @param reportingNode the node whose agent reports, or {@code null} when the caller cannot tell
     * @throws ConflictException when the project is not bound to {@code reportingNode}, or the agent
     *                           may not make this step (naming the current and the requested phase)
     */
    public ProjectStatus agentReport(String project, String reportingNode, ProjectPhase reported, String reason,
                                     String message, Instant now) {
        if (reportingNode != null && !reportingNode.equals(nodeRef)) {
            throw new ConflictException("project \"" + project + "\" is " + (nodeRef == null ? "bound to no node"
                    : "bound to node \"" + nodeRef + "\"") + ", not \"" + reportingNode
                    + "\": an agent reports only the projects on its own node");
        }
        return transition(project, reported, ProjectPhase.Actor.AGENT, nodeRef, reason, message, now);
    }

    private List<Condition> replace(Condition condition) {
        List<Condition> out = new ArrayList<>(conditions.size() + 1);
        boolean replaced = false;
        for (Condition c : conditions) {
            if (c.type().equals(condition.type())) {
                out.add(condition);
                replaced = true;
            } else {
                out.add(c);
            }
        }
        if (!replaced) {
            out.add(condition);
        }
        return out;
    }

    private static boolean sameContent(Condition a, Condition b) {
        return a.status() == b.status() && Objects.equals(a.reason(), b.reason()) && Objects.equals(a.message(), b.message());
    }
}
