package dev.cara.agent;

import dev.cara.sdk.testkit.Eventually;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A packaged jar (the agent or the server) running as a child process, started with the java that runs
 * the tests. Reader threads own its output streams and keep every line. Always {@link #close} it
 * (try-with-resources): that kills the process even when a test fails.
 */
final class ChildProcess implements AutoCloseable {
    /** Settings that the test's own environment must not leak into a child. */
    private static final List<String> SETTINGS_ENV = List.of("HOST", "PORT", "DATABASE_URL", "STORE", "HEARTBEAT_TIMEOUT",
            "DEBUG", "SERVER_URL", "NODE_NAME", "HEARTBEAT_INTERVAL", "AGENT_LISTEN_PORT", "AGENT_LISTEN_ADDRESS",
            "NODE_LABELS", "SYSTEM_RESERVED", "MEMORY_PRESSURE_THRESHOLD", "DISK_PRESSURE_THRESHOLD", "DISK_PATH", "NODE_IP",
            "RUNTIME", "DOCKER_SOCKET", "RECONCILE_INTERVAL", "SIMULATED_STATE");

    private final String name;
    private final Process process;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        pump(process.getInputStream(), stdout);
        pump(process.getErrorStream(), stderr);
    }

    static Path jar(String property, String fallback) {
        String jar = System.getProperty(property);
        Path path = Path.of(jar != null ? jar : fallback).toAbsolutePath();
        if (!path.toFile().isFile()) {
            throw new IllegalStateException(path + " is missing: build it first (./mvnw package -pl cara-agent -am)");
        }
        return path;
    }

    static Path agentJar() {
        return jar("cara.agent.jar", "target/cara-agent.jar");
    }

    static Path serverJar() {
        return jar("cara.server.jar", "../cara-server-helidon/target/cara-server.jar");
    }

    static ChildProcess start(String name, Path workDir, Path jar, Map<String, String> env, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xshare:auto");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        SETTINGS_ENV.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        return new ChildProcess(name, pb.start());
    }

    private void pump(InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name + "-output");
        t.setDaemon(true);
        t.start();
        readers.add(t);
    }

    /** The first group of the first output line (stdout or stderr) that matches, waiting for it. */
    String awaitLine(Pattern pattern, Duration within) {
        return Eventually.await(within, name + " printing " + pattern, () -> {
            if (!process.isAlive() && find(pattern).isEmpty()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; output: " + output());
            }
            return find(pattern);
        }, Optional::isPresent).orElseThrow();
    }

    Optional<String> find(Pattern pattern) {
        for (List<String> stream : List.of(stdout, stderr)) {
            for (String line : stream) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Optional.of(m.groupCount() > 0 ? m.group(1) : line);
                }
            }
        }
        return Optional.empty();
    }

    long count(Pattern pattern) {
        return output().stream().filter(l -> pattern.matcher(l).find()).count();
    }

    List<String> output() {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        return all;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, then the exit code. */
    int terminate(Duration within) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our ends of the child's pipes at once,
        // and lose what the child prints while it stops.
        process.toHandle().destroy();
        return awaitExit(within);
    }

    /** SIGKILL: no shutdown hook runs, like a crash or {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + within + "; output " + output());
        }
        for (Thread reader : readers) {
            reader.join(Duration.ofSeconds(10)); // the last lines may still be in the pipe
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
