package dev.cara.store.mapdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from this module's test classes, with the test's own java and
 * class path. Its stdout is read line by line; its stderr goes to a file that failures quote.
 * {@link #close()} kills it (SIGKILL) if it still runs, so a failing test leaves no process behind.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Path errors;

    private ChildJvm(Process process, Path errors) {
        this.process = process;
        this.errors = errors;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(Path workDir, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile(workDir, main.getSimpleName(), ".stderr");
        Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        return new ChildJvm(p, errors);
    }

    /** The next line of stdout, or null at its end (the child exited or was killed). */
    String readLine() throws IOException {
        return out.readLine();
    }

    /** The next stdout line that starts with {@code prefix}; fails if stdout ends first. */
    String await(String prefix) throws IOException {
        for (String line = readLine(); line != null; line = readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the child ended without printing " + prefix + "; its stderr:\n" + stderr());
    }

    /**
     * Sends SIGKILL (on Linux, destroyForcibly is kill -9) and waits until the process is gone. Through
     * the process handle, not {@code Process.destroyForcibly()}, which would also close our end of its
     * stdout: what the child printed before it died must still be readable.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the child to exit by itself, up to a deadline; returns its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not exit within " + seconds + " s; its stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Closes the child's stdin: children that wait on it then exit cleanly. */
    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    String stderr() {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
