package dev.cara.sdk;

import java.util.List;
import java.util.Objects;

/**
 * What a node carries, for {@code caractrl describe node}'s "Allocated resources": the projects bound
 * to it, and what those that hold it reserve against what it can allocate.
 *
 * @param node        the node as read
 * @param projects    every project whose {@code status.nodeRef} is this node, sorted by name
 * @param reserved    the requests of those that {@linkplain ProjectPhase#holdsNode() hold} the node
 *                    (Scheduled, Running, Terminating): what the scheduler counts as taken
 * @param allocatable what the node reported it can give to projects ({@code status.allocatable})
 */
public record NodeAllocation(Node node, List<Project> projects, ResourceList reserved, ResourceList allocatable) {
    public NodeAllocation {
        Objects.requireNonNull(node, "node");
        projects = List.copyOf(projects);
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(allocatable, "allocatable");
    }
}
