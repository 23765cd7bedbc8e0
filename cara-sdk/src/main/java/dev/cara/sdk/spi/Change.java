package dev.cara.sdk.spi;

import dev.cara.sdk.Node;

import java.util.Objects;

/**
 * One entry of a store's change feed.
 *
 * @param revision the store revision of this write
 * @param type     what happened
 * @param node     the node after the change; for {@link Type#DELETED}, the node just before
 */
public record Change(long revision, Type type, Node node) {
    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(node, "node");
    }

    /** The kind of change, named as in Kubernetes watch events. */
    public enum Type { ADDED, MODIFIED, DELETED }
}
