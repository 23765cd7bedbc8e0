package dev.cara.sdk;

import dev.cara.sdk.spi.ProjectStore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Refuses to delete a node while projects are assigned to it: those in a phase that
 * {@linkplain ProjectPhase#holdsNode() holds} their node (Scheduled, Running, Terminating). Pending
 * and Failed projects hold none and do not block. The reason names the first few and counts them.
 *
 * <p>Thread-safe, as its store is. The check and the delete are separate steps: a project bound
 * between them lands on a node that is gone, and the lifecycle reschedules it after the grace period.
 */
public final class ProjectDeletionGuard implements DeletionGuard {
    /** How many projects the reason names before it only counts the rest. */
    static final int SHOWN = 3;

    private final ProjectStore projects;

    public ProjectDeletionGuard(ProjectStore projects) {
        this.projects = Objects.requireNonNull(projects, "projects");
    }

    @Override
    public Optional<String> blockingReason(Node node) {
        List<Project> assigned = projects.listOnNode(node.name()).stream()
                .filter(p -> p.phase().holdsNode())
                .toList();
        if (assigned.isEmpty()) {
            return Optional.empty();
        }
        String shown = assigned.stream().limit(SHOWN).map(p -> p.name() + " (" + p.phase() + ")")
                .collect(Collectors.joining(", "));
        String more = assigned.size() > SHOWN ? " and " + (assigned.size() - SHOWN) + " more" : "";
        String count = assigned.size() == 1 ? "1 project is" : assigned.size() + " projects are";
        return Optional.of(count + " assigned to node \"" + node.name() + "\": " + shown + more
                + "; delete them (or wait until they are Terminated) before deleting the node");
    }
}
