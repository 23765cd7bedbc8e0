package dev.cara.server;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server jar running as a child process, started with the java that runs the tests.
 * Reader threads own the child's output streams and collect its lines. Always {@link #close} it
 * (try-with-resources): that kills the process even when a test fails.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("listening on (https?://\\S+)");
    private static final List<String> SETTINGS_ENV = List.of("HOST", "PORT", "DATABASE_URL", "HEARTBEAT_TIMEOUT", "DEBUG", "STORE",
            "WATCH_KEEPALIVE", "READ_TIMEOUT", "AUTH", "ADMIN_TOKEN_FILE", "OPEN_VERSION", "OPEN_METRICS", "TLS_CERT", "TLS_KEY",
            "TLS_CLIENT_CA");

    private final Process process;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final List<String> stdoutSeen = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private ServerProcess(Process process) {
        this.process = process;
        readers.add(pump(process.getInputStream(), line -> {
            stdoutSeen.add(line);
            stdout.add(line);
        }));
        readers.add(pump(process.getErrorStream(), stderr::add));
    }

    static Path jar() {
        String jar = System.getProperty("cara.server.jar");
        if (jar == null) {
            jar = Path.of("target", "cara-server.jar").toAbsolutePath().toString();
        }
        return Path.of(jar);
    }

    /**
     * Starts the jar in {@code workDir} with only the given settings in its environment, in open mode
     * ({@code AUTH=none}) unless the test names an {@code --auth} or {@code AUTH} of its own: the
     * server's default is token auth, and the tests that are not about security leave it out.
     */
    static ServerProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, true, args);
    }

    /** Starts the jar with the server's own defaults (token auth, unless the test says otherwise). */
    static ServerProcess startWithDefaults(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, false, args);
    }

    private static ServerProcess start(Path workDir, Map<String, String> env, boolean openUnlessNamed, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        SETTINGS_ENV.forEach(pb.environment()::remove);
        if (openUnlessNamed && !env.containsKey("AUTH") && !List.of(args).contains("--auth")) {
            pb.environment().put("AUTH", "none");
        }
        pb.environment().putAll(env);
        return new ServerProcess(pb.start());
    }

    private static Thread pump(InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "server-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the start-up line and returns it. */
    String awaitStartupLine(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String line = stdout.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.contains("listening on")) {
                return line;
            }
            if (line == null && !process.isAlive() && stdout.isEmpty()) {
                throw new AssertionError("the server exited with " + process.exitValue() + "; stderr: " + stderr);
            }
        }
        throw new AssertionError("no start-up line within " + within + "; stdout " + stdoutSeen + " stderr " + stderr);
    }

    static String url(String startupLine) {
        Matcher m = URL.matcher(startupLine);
        if (!m.find()) {
            throw new AssertionError("no URL in the start-up line: " + startupLine);
        }
        return m.group(1);
    }

    /** The child's process id (for a test that kills it with SIGKILL). */
    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM and waits for the exit code. */
    int terminate(Duration within) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its stdout, losing its last lines.
        process.toHandle().destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not stop within " + within + " of SIGTERM");
        }
        return process.exitValue();
    }

    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit within " + within + "; stderr " + stderr);
        }
        return process.exitValue();
    }

    /** stderr once the process has ended and its reader drained it. */
    List<String> stderrLines(Duration within) throws InterruptedException {
        awaitOutputEnd(within);
        return List.copyOf(stderr);
    }

    /**
     * Waits for the process to end and for the readers to reach the end of its output: only then are
     * {@link #stdoutSeen} and {@link #stderr} complete (an exited process's last lines can still be in
     * the pipe, on their way to the reader thread).
     */
    void awaitOutputEnd(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit within " + within + "; stderr " + stderr);
        }
        for (Thread reader : readers) {
            if (!reader.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                throw new AssertionError("the server's output did not end within " + within);
            }
        }
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
