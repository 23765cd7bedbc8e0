package dev.cara.agent;

import dev.cara.agent.spi.ProjectRuntime;
import dev.cara.agent.spi.SimulatedRuntime;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.internal.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the agent runs the projects the server binds to its node, validated: which runtime, where the
 * Docker socket is, how often it reconciles without being told to, and where a simulated runtime keeps
 * its containers. The keys are part of {@link AgentSettings#DEFAULTS} (config.yaml, .env, environment,
 * flags, like every other setting).
 *
 * @param runtime           {@value #DOCKER} or {@value #SIMULATED}
 * @param dockerSocket      the Docker Engine's unix socket
 * @param reconcileInterval the resync: a reconcile pass at least this often, project events or not
 * @param simulatedState    where the simulated runtime keeps its containers so that they outlive an
 *                          agent restart as Docker's do; empty keeps them in memory only
 */
public record ProjectSettings(String runtime, Path dockerSocket, Duration reconcileInterval, Optional<Path> simulatedState) {
    public static final String RUNTIME = "RUNTIME";
    public static final String DOCKER_SOCKET = "DOCKER_SOCKET";
    public static final String RECONCILE_INTERVAL = "RECONCILE_INTERVAL";
    public static final String SIMULATED_STATE = "SIMULATED_STATE";
    public static final String DOCKER = "docker";
    public static final String SIMULATED = "simulated";

    public ProjectSettings {
        if (!List.of(DOCKER, SIMULATED).contains(runtime)) {
            throw new IllegalArgumentException("runtime must be docker or simulated, not " + runtime);
        }
        Objects.requireNonNull(dockerSocket, "dockerSocket");
        Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        Objects.requireNonNull(simulatedState, "simulatedState");
    }

    /** Reads RUNTIME, DOCKER_SOCKET, RECONCILE_INTERVAL and SIMULATED_STATE. */
    static ProjectSettings from(Settings s) {
        String runtime = s.oneOf(RUNTIME, DOCKER, List.of(DOCKER, SIMULATED));
        String socket = s.string(DOCKER_SOCKET).filter(v -> !v.isBlank()).orElse(DockerRuntime.DEFAULT_SOCKET);
        Duration interval = s.duration(RECONCILE_INTERVAL, Duration.ofSeconds(10)); // positive, or an error naming it
        return new ProjectSettings(runtime, Path.of(socket), interval,
                s.string(SIMULATED_STATE).filter(v -> !v.isBlank()).map(Path::of));
    }

    /** The runtime these settings name. */
    ProjectRuntime newRuntime(Ticker ticker) {
        if (runtime.equals(SIMULATED)) {
            SimulatedRuntime.Builder b = SimulatedRuntime.builder(ticker);
            simulatedState.ifPresent(b::stateFile);
            return b.build();
        }
        return DockerRuntime.on(dockerSocket);
    }
}
