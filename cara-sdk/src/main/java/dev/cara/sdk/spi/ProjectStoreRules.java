package dev.cara.sdk.spi;

import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Project;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The rules of the {@link ProjectStore} contract that every backend applies the same way, as
 * {@link StoreRules} does for nodes, so that a backend calls them instead of restating them.
 */
public final class ProjectStoreRules {
    private ProjectStoreRules() {
    }

    /**
     * The compare-and-set check of {@link ProjectStore#update} and {@link ProjectStore#delete}.
     *
     * @param expected the version the caller read, or {@code null} for no check
     * @throws ConflictException naming both versions and what to do, when they differ
     */
    public static void checkVersion(Project current, String expected) {
        StoreRules.checkVersion("project", current, expected);
    }

    /**
     * The whole of {@link ProjectStore#update} once a store holds the current project: the
     * compare-and-set check, then the mutation; the store owns the name, {@code createdAt} and
     * {@code resourceVersion}, which becomes {@code newVersion} only if labels, annotations or spec changed.
     */
    public static Project update(Project current, String expected, UnaryOperator<Project> mutation, String newVersion) {
        checkVersion(current, expected);
        Project proposed = Objects.requireNonNull(mutation.apply(current), "mutation result");
        return proposed.withMetadata(StoreRules.metadataAfterUpdate(current, proposed, proposed.sameDesiredState(current), newVersion));
    }

    /**
     * The checks of {@link ProjectStore#delete(String, String, Predicate)} once a store holds the
     * current project.
     *
     * @throws ConflictException when the version is stale or the precondition does not hold
     */
    public static void checkDelete(Project current, String expected, Predicate<? super Project> precondition) {
        checkVersion(current, expected);
        if (!precondition.test(current)) {
            throw new ConflictException("project \"" + current.name() + "\" changed while it was being deleted: it is now "
                    + current.phase() + (current.status().nodeRef() == null ? "" : " on node \"" + current.status().nodeRef() + "\"")
                    + "; read it again and retry");
        }
    }
}
