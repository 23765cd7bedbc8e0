package dev.cara.agent.spi;

import dev.cara.sdk.CaraException;

/**
 * The root of a {@link ProjectRuntime}'s errors. {@link #reason()} is short CamelCase and goes into
 * the project's status as the reason of a failure; the message says what failed in words, naming the
 * project and, where it applies, the service.
 */
public class ProjectRuntimeException extends CaraException {
    private static final long serialVersionUID = 1L;

    private final String project;
    private final String reason;

    public ProjectRuntimeException(String project, String reason, String message) {
        super(message);
        this.project = project;
        this.reason = reason;
    }

    public ProjectRuntimeException(String project, String reason, String message, Throwable cause) {
        super(message, cause);
        this.project = project;
        this.reason = reason;
    }

    /** The project the error is about, or {@code null} when it is about the runtime itself. */
    public String project() {
        return project;
    }

    /** Short CamelCase, for example {@code ImageNotFound}; never null. */
    public String reason() {
        return reason;
    }
}
