package dev.cara.sdk;

import java.util.Objects;

/**
 * What an agent last said about itself: {@code NotReady} with reason {@code AgentShutdown} on a
 * planned stop, {@code Ready} when it starts. A claim stays until the agent makes another. It feeds
 * the {@link StateRule} but never overrides it: a claimed {@code Ready} cannot lift Draining or a
 * missed heartbeat.
 *
 * @param state   the claimed state
 * @param reason  a CamelCase reason, or null
 * @param message a sentence for humans, or null
 */
public record AgentClaim(NodeState state, String reason, String message) {
    public AgentClaim {
        Objects.requireNonNull(state, "state");
        reason = Condition.blankToNull(reason);
        message = Condition.blankToNull(message);
    }

    /** The reason the agent uses when it stops on purpose. */
    public static final String AGENT_SHUTDOWN = "AgentShutdown";
}
