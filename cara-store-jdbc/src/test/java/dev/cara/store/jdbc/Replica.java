package dev.cara.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ReplicaMain} child process as the test sees it: commands in, timestamped lines out. */
final class Replica implements AutoCloseable {
    /** A line the replica printed, with the test's own {@link System#nanoTime()} when it arrived. */
    record Line(long atNanos, String text) {
    }

    final String id;
    private final Process process;
    private final Writer commands;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private Replica(String id, Process process) {
        this.id = id;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(new Line(System.nanoTime(), l));
                }
            } catch (IOException ignored) {
                // the process died
            }
        });
    }

    static Replica start(String id, String url, Duration heartbeatTimeout, Duration leaseTtl) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), ReplicaMain.class.getName(),
                url, Long.toString(heartbeatTimeout.toMillis()), Long.toString(leaseTtl.toMillis()));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Replica r = new Replica(id, pb.start());
        Poll.until(Duration.ofSeconds(30), "replica " + id + " to start", () -> r.printed("STARTED") || !r.alive());
        if (!r.alive()) {
            throw new IllegalStateException("replica " + id + " exited at start-up: " + r.lines);
        }
        return r;
    }

    synchronized void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("replica " + id + " does not take commands: " + e.getMessage(), e);
        }
    }

    boolean printed(String text) {
        return lines.stream().anyMatch(l -> l.text().equals(text));
    }

    /** Whether the last LEADER line says it leads. */
    boolean leading() {
        Boolean last = null;
        for (Line l : lines) {
            if (l.text().startsWith("LEADER ")) {
                last = Boolean.parseBoolean(l.text().substring(7));
            }
        }
        return last != null && last;
    }

    /** When it first printed {@code text} at or after {@code since} (this JVM's nanoTime), or -1. */
    long firstAfter(String text, long since) {
        for (Line l : lines) {
            if (l.text().equals(text) && l.atNanos() - since >= 0) {
                return l.atNanos();
            }
        }
        return -1;
    }

    List<Line> lines() {
        return new ArrayList<>(lines);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    void kill9() {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                signal("CONT");
            } catch (Exception ignored) {
                // it may already be gone
            }
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "replica " + id + " (pid " + process.pid() + ")";
    }
}
