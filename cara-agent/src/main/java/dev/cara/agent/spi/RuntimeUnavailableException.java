package dev.cara.agent.spi;

/**
 * The runtime itself cannot be reached or answered nonsense (the Docker daemon is down, its socket
 * is missing or refuses us). No project is at fault: the agent reports nothing and tries again on
 * its next pass.
 */
public class RuntimeUnavailableException extends ProjectRuntimeException {
    private static final long serialVersionUID = 1L;

    public RuntimeUnavailableException(String message) {
        super(null, "RuntimeUnavailable", message);
    }

    public RuntimeUnavailableException(String message, Throwable cause) {
        super(null, "RuntimeUnavailable", message, cause);
    }
}
