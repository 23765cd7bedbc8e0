package dev.cara.agent;

import dev.cara.sdk.CaraException;

/**
 * The root of the agent's own errors: something about this machine or this agent's settings that the
 * user has to fix (for example a host name that cannot be made into a node name). Errors from the
 * control plane keep their SDK types ({@link dev.cara.sdk.NotFoundException} and the rest).
 */
public class AgentException extends CaraException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
