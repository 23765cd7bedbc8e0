package dev.cara.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * Who sent a request, once authenticated: how they proved it ({@code token}, {@code certificate}), a
 * name for audit lines and messages (a token's id and description, a certificate's CN), a
 * {@link Role}, and for a node credential the node it is bound to. Carries no secret, so it may be
 * logged.
 *
 * @param kind how the identity was proven: {@code token}, {@code certificate} or {@code anonymous}
 * @param name the identity's name in audit lines, such as a token's description or id
 * @param role what it may do
 * @param node the node a {@link Role#NODE} identity is bound to; empty for every other role
 */
public record Identity(String kind, String name, Role role, String node) {
    /** Who everyone is when authentication is off ({@code --auth none}): allowed everything. */
    public static final Identity ANONYMOUS = new Identity("anonymous", "anonymous", Role.ADMIN, "");

    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(node, "node");
        if ((role == Role.NODE) == node.isEmpty()) {
            throw new IllegalArgumentException(role == Role.NODE
                    ? "a node identity must name its node" : "only a node identity names a node, not role " + role.word());
        }
    }

    /** An operator's or a bootstrap identity. */
    public static Identity of(String kind, String name, Role role) {
        return new Identity(kind, name, role, "");
    }

    /** A node credential bound to {@code node}. */
    public static Identity ofNode(String kind, String name, String node) {
        return new Identity(kind, name, Role.NODE, node);
    }

    /** The node a node credential is bound to. */
    public Optional<String> boundNode() {
        return node.isEmpty() ? Optional.empty() : Optional.of(node);
    }

    /** As a 403's detail starts: {@code token "ci-viewer" (role viewer)}. */
    public String describe() {
        String bound = node.isEmpty() ? "" : ", node \"" + node + "\"";
        return kind + " \"" + name + "\" (role " + role.word() + bound + ")";
    }
}
