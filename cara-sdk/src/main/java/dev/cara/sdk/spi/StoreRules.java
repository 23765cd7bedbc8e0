package dev.cara.sdk.spi;

import dev.cara.sdk.ApiObject;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.ObjectMeta;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The rules of the {@link NodeStore} contract that every backend applies the same way, so that a
 * backend (including one a user writes) calls them instead of restating them.
 */
public final class StoreRules {
    private StoreRules() {
    }

    /**
     * The compare-and-set check of {@link NodeStore#update} and {@link NodeStore#delete}.
     *
     * @param expected the version the caller read, or {@code null} for no check
     * @throws ConflictException naming both versions and what to do, when they differ
     */
    public static void checkVersion(Node current, String expected) {
        checkVersion("node", current, expected);
    }

    // The version check of every object a store keeps (ProjectStoreRules' too); kind is the word for messages.
    static void checkVersion(String kind, ApiObject current, String expected) {
        if (expected != null && !expected.equals(current.metadata().resourceVersion())) {
            throw new ConflictException(kind + " \"" + current.name() + "\" was modified: resourceVersion is "
                    + current.metadata().resourceVersion() + ", not " + expected + "; read it again and retry");
        }
    }

    /**
     * The node a store keeps after {@link NodeStore#update}: what the mutation proposed, except that the
     * store owns the name, {@code createdAt} and {@code resourceVersion}. The version stays as it was
     * unless labels, annotations or spec changed, and then becomes {@code newVersion}.
     */
    public static Node afterUpdate(Node current, Node proposed, String newVersion) {
        return proposed.withMetadata(metadataAfterUpdate(current, proposed, proposed.sameDesiredState(current), newVersion));
    }

    // The metadata every object keeps after an update (a project's too): the proposed labels and
    // annotations, the store's name, createdAt and version, the version new only when the desired state changed.
    static ObjectMeta metadataAfterUpdate(ApiObject current, ApiObject proposed, boolean sameDesiredState, String newVersion) {
        return new ObjectMeta(current.name(), proposed.metadata().labels(), proposed.metadata().annotations(),
                current.metadata().createdAt(), proposed.metadata().updatedAt(),
                sameDesiredState ? current.metadata().resourceVersion() : newVersion);
    }

    /**
     * The whole of {@link NodeStore#update} once a store holds the current node: the compare-and-set
     * check, then the caller's mutation, then {@link #afterUpdate}.
     *
     * @throws ConflictException when {@code expected} is stale
     */
    public static Node update(Node current, String expected, UnaryOperator<Node> mutation, String newVersion) {
        checkVersion(current, expected);
        Node proposed = Objects.requireNonNull(mutation.apply(current), "mutation result");
        return afterUpdate(current, proposed, newVersion);
    }
}
