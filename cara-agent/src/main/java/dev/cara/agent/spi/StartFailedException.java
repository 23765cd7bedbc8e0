package dev.cara.agent.spi;

/**
 * A service of a project could not be started (no such image, a refused configuration, a name taken
 * by something that is not this project's). The project is at fault, not the runtime: the agent
 * reports it Failed with {@link #reason()} and the message.
 */
public class StartFailedException extends ProjectRuntimeException {
    private static final long serialVersionUID = 1L;

    private final String service;

    public StartFailedException(String project, String service, String reason, String message) {
        super(project, reason, message);
        this.service = service;
    }

    public StartFailedException(String project, String service, String reason, String message, Throwable cause) {
        super(project, reason, message, cause);
        this.service = service;
    }

    /** The service that failed, or {@code null} when it was a part of the project (a volume, its network). */
    public String service() {
        return service;
    }
}
