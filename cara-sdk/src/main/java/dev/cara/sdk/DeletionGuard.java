package dev.cara.sdk;

import java.util.Optional;

/**
 * Decides whether a node may be deleted. The projects feature fills this in: a node with projects
 * assigned must not disappear under them. The default allows every delete.
 */
@FunctionalInterface
public interface DeletionGuard {
    /** Allows every delete. */
    DeletionGuard ALLOW_ALL = node -> Optional.empty();

    /**
     * Why the node may not be deleted, or empty when it may.
     *
     * @return a sentence for the operator, for example {@code 3 projects are assigned to node "w1"}
     */
    Optional<String> blockingReason(Node node);
}
