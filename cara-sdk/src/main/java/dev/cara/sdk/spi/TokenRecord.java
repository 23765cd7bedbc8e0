package dev.cara.sdk.spi;

import dev.cara.sdk.Role;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A token as a {@link TokenStore} keeps it: everything but the secret, which is never stored; only
 * its hash is ({@link dev.cara.sdk.Tokens} says why a plain SHA-256 is enough). Immutable; a
 * revocation stores a copy with {@code revoked} set.
 *
 * @param id          the token's public id (the {@code <id>} in {@code cara_<id>_<secret>}), for listing and revoking
 * @param description what the token is for, chosen by whoever created it (may be empty)
 * @param role        what the token may do
 * @param node        the node a {@link Role#NODE} credential is bound to; empty for other roles
 * @param createdAt   when it was created
 * @param expiresAt   when it stops working, if ever
 * @param revoked     whether it was revoked (it then never works again)
 * @param secretHash  the lowercase hex SHA-256 of the secret
 */
public record TokenRecord(String id, String description, Role role, String node, Instant createdAt,
                          Optional<Instant> expiresAt, boolean revoked, String secretHash) {
    public TokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(secretHash, "secretHash");
        if (id.isEmpty() || !id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
            throw new IllegalArgumentException("a token id is lowercase letters and digits, was \"" + id + "\"");
        }
        if ((role == Role.NODE) == node.isEmpty()) {
            throw new IllegalArgumentException("a node credential names its node, and no other token does");
        }
    }

    /** The same token, revoked. */
    public TokenRecord asRevoked() {
        return new TokenRecord(id, description, role, node, createdAt, expiresAt, true, secretHash);
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }

    /** The name audit lines and messages use: the description, or the id when there is none. */
    public String displayName() {
        return description.isEmpty() ? id : description;
    }

    // The hash is not the secret, but it has no business in logs either.
    @Override
    public String toString() {
        return "TokenRecord[id=" + id + ", description=" + description + ", role=" + role.word()
                + (node.isEmpty() ? "" : ", node=" + node) + ", createdAt=" + createdAt
                + expiresAt.map(e -> ", expiresAt=" + e).orElse("") + (revoked ? ", revoked" : "") + "]";
    }
}
