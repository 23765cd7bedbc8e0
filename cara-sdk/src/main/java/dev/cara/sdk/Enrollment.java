package dev.cara.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * What a registration hands back besides the node: the rule by which an agent gets its own credential.
 *
 * <ul>
 *   <li>An agent that registers with a bootstrap token ({@link Role#AGENT_BOOTSTRAP}) receives a new
 *       {@link Role#NODE} token bound to the node it registered, with no expiry. The bootstrap token
 *       stays usable for other agents until it expires or is revoked.</li>
 *   <li>An agent that registers with its node credential (its node was deleted and it registers it
 *       again) gets nothing new: it keeps the credential it stored. A node credential survives the
 *       deletion of its node on purpose; to shut a machine out, revoke its token.</li>
 *   <li>Anyone else (an admin applying a manifest) gets no credential.</li>
 * </ul>
 *
 * Call it only after the registration succeeded, so that a refused registration (the name taken)
 * hands out nothing: a bootstrap token cannot be used to take over an existing node's identity.
 */
public final class Enrollment {
    private final Tokens tokens;

    public Enrollment(Tokens tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** The credential to hand to {@code who}, who has just registered node {@code nodeName}. */
    public Optional<IssuedToken> afterRegistration(Identity who, String nodeName) {
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(nodeName, "nodeName");
        if (who.role() != Role.AGENT_BOOTSTRAP) {
            return Optional.empty();
        }
        return Optional.of(tokens.issue(Role.NODE, nodeName, "node " + nodeName + " (enrolled with " + who.name() + ")",
                Optional.empty()));
    }
}
