package dev.cara.agent.spi;

/**
 * The runtime itself cannot be reached or answered nonsense (the Docker daemon is down, its socket
 * is missing or refuses us). No project is at fault: the agent retries a running project on its
 * next pass, and reports a Scheduled one Failed with this reason and message (which must say where
 * the runtime was looked for and how to fix it), since it cannot start here.
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
