package dev.cara.agent.spi;

import dev.cara.sdk.Project;

import java.util.List;
import java.util.Optional;

/**
 * What runs a project's services on this node: Docker containers in production, an in-memory model
 * ({@link SimulatedRuntime}) in the fleet simulator and in tests. The agent's
 * {@code ProjectReconciler} is its only caller; it calls from one thread at a time, but an
 * implementation must still be safe to call from several (an operator's endpoint may list).
 *
 * <p>The runtime keeps no memory of its own that the agent relies on: {@link #list()} reads what
 * actually runs (for Docker, the containers labelled {@value #PROJECT_LABEL}), so an agent that
 * restarts rebuilds its view from the runtime and the server, adopts what still runs and tears down
 * what the server no longer assigns. Every method is idempotent.
 *
 * <p>A service is named after its project and itself ({@link #containerName}); an implementation
 * labels what it creates with {@value #PROJECT_LABEL} and {@value #SERVICE_LABEL} so that it finds
 * it again. Ephemeral volumes live as long as the project: {@link #start} creates them,
 * {@link #tearDown} removes them.
 *
 * <p>Errors are {@link ProjectRuntimeException}s: {@link StartFailedException} names the service
 * and the reason (it goes into the project's status), {@link RuntimeUnavailableException} says that
 * the runtime itself cannot be reached (the agent retries; the project is not at fault).
 */
public interface ProjectRuntime {
    /** The label that names the project of a container or volume. */
    String PROJECT_LABEL = "dev.cara.project";
    /** The label that names the service of a container. */
    String SERVICE_LABEL = "dev.cara.service";

    /** A short name for logs and settings: {@code docker}, {@code simulated}. */
    String name();

    /**
     * Creates the project's ephemeral volumes and starts each of its services with its environment
     * and mounts. Services that already exist (an adopted project, a retry) are left as they are or
     * started again if stopped; starting a running project does nothing. Returns once every service
     * was asked to start: whether they came up is {@link #health}'s answer.
     *
     * @throws StartFailedException        naming the service that could not start and why; what was
     *                                     already created stays until {@link #tearDown}
     * @throws RuntimeUnavailableException when the runtime cannot be reached
     */
    void start(Project project);

    /**
     * The state of each service of the named project, or empty when the runtime runs nothing of it.
     *
     * @throws RuntimeUnavailableException when the runtime cannot be reached
     */
    Optional<ProjectHealth> health(String project);

    /**
     * Stops and removes every container of the named project and its ephemeral volumes. Tearing down
     * a project that is not there does nothing.
     *
     * @throws RuntimeUnavailableException when the runtime cannot be reached
     * @throws ProjectRuntimeException     when something of the project could not be removed (named)
     */
    void tearDown(String project);

    /**
     * Every project this runtime runs, with the state of its services, in name order.
     *
     * @throws RuntimeUnavailableException when the runtime cannot be reached
     */
    List<ProjectHealth> list();

    /** The name of a service's container: {@code cara-<project>-<service>}. */
    static String containerName(String project, String service) {
        return "cara-" + project + "-" + service;
    }

    /** The name of a project's volume: {@code cara-<project>-<volume>}. */
    static String volumeName(String project, String volume) {
        return "cara-" + project + "-" + volume;
    }
}
