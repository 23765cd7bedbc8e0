package dev.cara.agent.spi;

import dev.cara.sdk.Project;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.VolumeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * <p>With a {@linkplain Builder#stateFile state file} its containers and volumes outlive the process,
 * as Docker's outlive an agent restart: the file is written after each start and teardown, and read
 * when the runtime is built (what it lists counts as running since long ago; injected crashes are not
 * kept). Without one, everything is gone with the process.
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
    private final Path stateFile;

    // Owned by this object's lock: project name -> service name -> container; project name -> volume names.
    private final Map<String, Map<String, Container>> projects = new TreeMap<>();
    private final Map<String, SortedSet<String>> volumes = new TreeMap<>();
    private boolean unavailable;

    private SimulatedRuntime(Builder b) {
        this.ticker = b.ticker;
        this.startDelayNanos = b.startDelay.toNanos();
        this.failureRate = b.failureRate;
        this.random = new Random(b.seed);
        this.stateFile = b.stateFile;
        if (stateFile != null) {
            load();
        }
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
        try {
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
        } finally {
            save(); // also after a failed start: what was made stays until the teardown, as with Docker
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
        save();
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

    // The state file: one line per container ("container<TAB>project<TAB>service<TAB>image") and per
    // volume ("volume<TAB>project<TAB>name"); names and images hold no tabs or line breaks.
    private void load() {
        if (!Files.exists(stateFile)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the simulated runtime's state file " + stateFile + ": " + e.getMessage()
                    + " (remove it to start with no containers)", e);
        }
        long longAgo = ticker.read() - startDelayNanos;
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f.length == 4 && f[0].equals("container")) {
                projects.computeIfAbsent(f[1], n -> new LinkedHashMap<>()).put(f[2], new Container(f[3], longAgo));
            } else if (f.length == 3 && f[0].equals("volume")) {
                volumes.computeIfAbsent(f[1], n -> new TreeSet<>()).add(f[2]);
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("the simulated runtime's state file " + stateFile + " has a line it cannot read: \""
                        + line + "\" (remove the file to start with no containers)");
            }
        }
    }

    private void save() {
        if (stateFile == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        projects.forEach((p, cs) -> cs.forEach((svc, c) -> out.append("container\t").append(p).append('\t').append(svc)
                .append('\t').append(c.image).append('\n')));
        volumes.forEach((p, vs) -> vs.forEach(v -> out.append("volume\t").append(p).append('\t').append(v).append('\n')));
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RuntimeUnavailableException("cannot write the simulated runtime's state file " + stateFile + ": "
                    + e.getMessage() + " (check that its directory exists and is writable)", e);
        }
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
        private Path stateFile;

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

        /** Keeps the containers and volumes in this file, so that they outlive the process (see the class comment). */
        public Builder stateFile(Path value) {
            this.stateFile = Objects.requireNonNull(value, "stateFile");
            return this;
        }

        /**
         * @throws IllegalArgumentException when the state file exists but cannot be read
         */
        public SimulatedRuntime build() {
            return new SimulatedRuntime(this);
        }
    }
}
