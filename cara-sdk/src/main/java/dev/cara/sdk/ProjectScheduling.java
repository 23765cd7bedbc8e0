package dev.cara.sdk;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduler's reconciler: decides, for one pending project at a time, which node it goes to, or
 * why none can take it. It returns the decision as a value ({@link Outcome}); the caller writes it
 * with {@link Outcome#apply} inside the store's status mutation, which makes the binding a
 * compare-and-set: of two schedulers that bind the same project, the second finds it no longer
 * Pending and gets a {@link ConflictException}.
 *
 * <p>One instance serves one scheduling cycle: it is built from a snapshot of the nodes and of the
 * projects (to know what is already reserved on each node: the requests of every project whose phase
 * {@linkplain ProjectPhase#holdsNode() holds} its node), and each {@link Bind} it returns counts at
 * once against its node for the decisions after it. A binding that then loses its compare-and-set
 * stays counted until the next cycle, which errs on the safe side: no node is over-committed.
 *
 * <p>Not thread-safe: the scheduling loop that built it owns it (and its usage columns).
 */
public final class ProjectScheduling {
    /** Reason of the {@value ProjectStatus#SCHEDULED} condition of a bound project. */
    public static final String SCHEDULED = "Scheduled";
    /** Reason of the {@value ProjectStatus#SCHEDULED} condition when no node can take the project. */
    public static final String UNSCHEDULABLE = "Unschedulable";

    private final Scheduler scheduler;
    private final SchedulingSnapshot snapshot;
    private final SchedulingSnapshot.Usage usage;

    private ProjectScheduling(Scheduler scheduler, Collection<Node> nodes, Collection<Project> projects) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.snapshot = SchedulingSnapshot.of(nodes);
        this.usage = snapshot.usage(reserved(projects));
    }

    /** A cycle with the standard scheduler. */
    public static ProjectScheduling of(Collection<Node> nodes, Collection<Project> projects) {
        return new ProjectScheduling(Scheduler.standard(), nodes, projects);
    }

    public static ProjectScheduling of(Scheduler scheduler, Collection<Node> nodes, Collection<Project> projects) {
        return new ProjectScheduling(scheduler, nodes, projects);
    }

    /** What the projects reserve on each node: the requests of those whose phase holds their node. */
    public static Map<String, ResourceList> reserved(Collection<Project> projects) {
        Map<String, ResourceList> reserved = new HashMap<>();
        for (Project p : projects) {
            String node = p.status().nodeRef();
            if (node != null && p.phase().holdsNode()) {
                reserved.merge(node, p.spec().resources().requests(), ResourceList::plus);
            }
        }
        return reserved;
    }

    /**
     * Decides for one project: {@link Bind} to the best node, {@link Unschedulable} with the reasons,
     * or {@link Skip} when there is nothing to decide (not Pending, or already expired: the lifecycle
     * removes it).
     */
    public Outcome schedule(Project project, Instant now) {
        if (project.phase() != ProjectPhase.PENDING) {
            return new Skip("project \"" + project.name() + "\" is " + project.phase() + ", not Pending");
        }
        if (project.spec().expiredAt(now)) {
            return new Skip("project \"" + project.name() + "\" expired at " + project.spec().expireAt());
        }
        SchedulingRequest request = project.spec().schedulingRequest();
        Optional<Placement> placement = scheduler.placeIndexed(snapshot, request, usage);
        if (placement.isPresent()) {
            String node = placement.get().node().name();
            usage.add(node, request.resources());
            return new Bind(node, placement.get().score());
        }
        return new Unschedulable(Scheduler.unavailable(snapshot.size(), scheduler.reasons(snapshot, request, usage)));
    }

    /** A scheduling decision, to be applied to the project's current state inside a status mutation. */
    public sealed interface Outcome permits Bind, Unschedulable, Skip {
        /**
         * The status to store for {@code current}, as of {@code now}. Returns {@code current.status()}
         * itself when there is nothing to write.
         *
         * @throws ConflictException when the decision no longer fits (a bind of a project that is not Pending)
         */
        ProjectStatus apply(Project current, Instant now);
    }

    /**
     * Bind the project to {@code node}.
     *
     * @param score the scheduler's score of the node (0 to 1000)
     */
    public record Bind(String node, long score) implements Outcome {
        public Bind {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public ProjectStatus apply(Project current, Instant now) {
            String message = "bound to node \"" + node + "\"";
            return current.status()
                    .transition(current.name(), ProjectPhase.SCHEDULED, ProjectPhase.Actor.SCHEDULER, node, SCHEDULED, message, now)
                    .withCondition(Condition.of(ProjectStatus.SCHEDULED, ConditionStatus.TRUE, SCHEDULED, message), now);
        }
    }

    /**
     * No node can take the project: it stays Pending with {@code Scheduled=False}, reason
     * {@value #UNSCHEDULABLE}, and this message ({@code 0/5 nodes available: 3 NotReady, ...}).
     */
    public record Unschedulable(String message) implements Outcome {
        public Unschedulable {
            Objects.requireNonNull(message, "message");
        }

        public Condition condition() {
            return Condition.of(ProjectStatus.SCHEDULED, ConditionStatus.FALSE, UNSCHEDULABLE, message);
        }

        /** The condition, if the project is still Pending; otherwise nothing to write. */
        @Override
        public ProjectStatus apply(Project current, Instant now) {
            if (current.phase() != ProjectPhase.PENDING) {
                return current.status();
            }
            return current.status().withCondition(condition(), now);
        }
    }

    /** Nothing to decide, and why. */
    public record Skip(String why) implements Outcome {
        @Override
        public ProjectStatus apply(Project current, Instant now) {
            return current.status();
        }
    }
}
