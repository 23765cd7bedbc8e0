package dev.cara.agent.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runtime sees of one project: the state of each of its services it found.
 *
 * @param project  the project's name
 * @param services one entry per service found, in the runtime's order; never null
 */
public record ProjectHealth(String project, List<ServiceHealth> services) {
    public ProjectHealth {
        Objects.requireNonNull(project, "project");
        services = List.copyOf(services);
    }

    /** Whether every service in {@code expected} is found and running. */
    public boolean allRunning(List<String> expected) {
        return expected.stream().allMatch(s -> service(s).map(h -> h.state() == ServiceState.RUNNING).orElse(false));
    }

    /** The services that failed. */
    public List<ServiceHealth> failed() {
        return services.stream().filter(s -> s.state() == ServiceState.FAILED).toList();
    }

    /** The services of {@code expected} that the runtime does not run at all (a container removed by hand). */
    public List<String> missing(List<String> expected) {
        return expected.stream().filter(s -> service(s).isEmpty()).toList();
    }

    public Optional<ServiceHealth> service(String name) {
        return services.stream().filter(s -> s.service().equals(name)).findFirst();
    }
}
