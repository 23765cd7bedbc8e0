package dev.cara.agent.spi;

import dev.cara.sdk.Project;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.VolumeSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedSet;

/**
 * A {@link ProjectRuntime} that runs nothing: it keeps containers and volumes as entries in memory,
 * for the fleet simulator (thousands of hollow agents in one JVM) and for tests.
 *
 * <p>Time is the injected {@link Ticker}: a service is STARTING until {@code startDelay} has passed
 * since its start, then RUNNING. Failures are injected three ways: an image named {@code fail:...}
 * fails to start ({@code StartFailed}, naming the service and image); an image named
 * {@code crash:...} starts and then exits once the start delay has passed ({@code Exited}); and
 * {@code failureRate} makes that share of service starts fail, drawn from a seeded {@link Random} so
 * that a run repeats. {@link #crash} stops a running service by hand, and {@link #unavailable}
 * makes every call throw {@link RuntimeUnavailableException}, as a Docker daemon that went away.
 *
 * <p>Thread-safety: every method holds this object's lock; the state below is owned by that lock.
 * Calls are short (no I/O), so one lock for all projects is cheap enough for a simulated fleet.
 */
public final class SimulatedRuntime implements ProjectRuntime {
    /** Images with this prefix fail to start. */
    public static final String FAIL_PREFIX = "fail:";
    /** Images with this prefix start, then exit once the start delay has passed. */
    public static final String CRASH_PREFIX = "crash:";

    private final Ticker ticker;
    private final long startDelayNanos;
    private final double failureRate;
    private final Random random;

    // Owned by this object's lock: project name -> service name -> container; project name -> volume names.
    private final Map<String, Map<String, Container>> projects = new TreeMap<>();
    private final Map<String, SortedSet<String>> volumes = new TreeMap<>();
    private boolean unavailable;

    private SimulatedRuntime(Builder b) {
        this.ticker = b.ticker;
        this.startDelayNanos = b.startDelay.toNanos();
        this.failureRate = b.failureRate;
        this.random = new Random(b.seed);
    }

    public static Builder builder(Ticker ticker) {
        return new Builder(ticker);
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public synchronized void start(Project project) {
        checkAvailable();
        String name = project.name();
        for (VolumeSpec v : project.spec().volumes()) {
            volumes.computeIfAbsent(name, n -> new TreeSet<>()).add(ProjectRuntime.volumeName(name, v.name()));
        }
        Map<String, Container> containers = projects.computeIfAbsent(name, n -> new LinkedHashMap<>());
        for (ServiceSpec s : project.spec().services()) {
            Container existing = containers.get(s.name());
            if (existing != null && existing.failure == null) {
                continue; // running or starting: starting it again changes nothing
            }
            if (s.image().startsWith(FAIL_PREFIX) || (failureRate > 0 && random.nextDouble() < failureRate)) {
                throw new StartFailedException(name, s.name(), "StartFailed", "service \"" + s.name() + "\" of project \""
                        + name + "\" failed to start: image \"" + s.image() + "\" could not be run (simulated)");
            }
            containers.put(s.name(), new Container(s.image(), ticker.read()));
        }
    }

    @Override
    public synchronized Optional<ProjectHealth> health(String project) {
        checkAvailable();
        Map<String, Container> containers = projects.get(project);
        return containers == null ? Optional.empty() : Optional.of(healthOf(project, containers));
    }

    @Override
    public synchronized void tearDown(String project) {
        checkAvailable();
        projects.remove(project);
        volumes.remove(project);
    }

    @Override
    public synchronized List<ProjectHealth> list() {
        checkAvailable();
        List<ProjectHealth> out = new ArrayList<>(projects.size());
        projects.forEach((name, containers) -> out.add(healthOf(name, containers)));
        return out;
    }

    /**
     * Makes a running service exit, as if its process died.
     *
     * @throws IllegalArgumentException when the runtime runs no such service
     */
    public synchronized void crash(String project, String service, String reason, String message) {
        Container c = projects.getOrDefault(project, Map.of()).get(service);
        if (c == null) {
            throw new IllegalArgumentException("the simulated runtime runs no service \"" + service
                    + "\" of project \"" + project + "\"");
        }
        c.failure = ServiceHealth.failed(service, reason, message);
    }

    /** While true, every call throws {@link RuntimeUnavailableException}. */
    public synchronized void unavailable(boolean value) {
        this.unavailable = value;
    }

    /** The names of the volumes that exist now, in order. */
    public synchronized List<String> volumes() {
        return volumes.values().stream().flatMap(SortedSet::stream).sorted().toList();
    }

    /** The names of the containers that exist now ({@code cara-<project>-<service>}), in order. */
    public synchronized List<String> containers() {
        List<String> out = new ArrayList<>();
        projects.forEach((p, cs) -> cs.keySet().forEach(s -> out.add(ProjectRuntime.containerName(p, s))));
        return out;
    }

    private ProjectHealth healthOf(String project, Map<String, Container> containers) {
        long now = ticker.read();
        List<ServiceHealth> services = new ArrayList<>(containers.size());
        containers.forEach((service, c) -> services.add(c.health(service, now, startDelayNanos)));
        return new ProjectHealth(project, services);
    }

    private void checkAvailable() {
        if (unavailable) {
            throw new RuntimeUnavailableException("the simulated runtime is unavailable (set by a test)");
        }
    }

    // One simulated container; mutable, owned by the runtime's lock.
    private static final class Container {
        final String image;
        final long startedAt;
        ServiceHealth failure;

        Container(String image, long startedAt) {
            this.image = image;
            this.startedAt = startedAt;
        }

        ServiceHealth health(String service, long now, long startDelayNanos) {
            if (failure != null) {
                return failure;
            }
            if (now - startedAt < startDelayNanos) {
                return ServiceHealth.starting(service);
            }
            if (image.startsWith(CRASH_PREFIX)) {
                return ServiceHealth.failed(service, "Exited", "service \"" + service + "\" exited with code 1 (image \""
                        + image + "\", simulated)");
            }
            return ServiceHealth.running(service);
        }
    }

    /** Settings of a simulated runtime; each is checked when set. */
    public static final class Builder {
        private final Ticker ticker;
        private Duration startDelay = Duration.ZERO;
        private double failureRate;
        private long seed = 1;

        private Builder(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
        }

        /** How long a service stays STARTING before it runs; zero (the default) runs it at once. */
        public Builder startDelay(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("startDelay must be zero or more, not " + value);
            }
            this.startDelay = value;
            return this;
        }

        /** The share of service starts that fail, from 0 (the default) to 1. */
        public Builder failureRate(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("failureRate must be from 0 to 1, not " + value);
            }
            this.failureRate = value;
            return this;
        }

        /** The seed of the draws behind {@link #failureRate}, so that a run repeats. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public SimulatedRuntime build() {
            return new SimulatedRuntime(this);
        }
    }
}
