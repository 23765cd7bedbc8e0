package dev.cara.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Real processes for the *IT tests: a cara server, and runs of the caractrl launcher. */
final class Processes {
    private Processes() {
    }

    /** Closes what an IT class opened (a client, a server), in order, skipping what was never opened. */
    static void closeAll(AutoCloseable... opened) throws Exception {
        for (AutoCloseable c : opened) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** The java that runs the tests, which is also what child JVMs use. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static Path launcher() {
        return Path.of(System.getProperty("caractrl.launcher", "target/caractrl")).toAbsolutePath();
    }

    /** A {@code cara-server} child process on a free port with an in-memory store. */
    static final class Server implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+)");
        private final Process process;
        private final List<String> output = new ArrayList<>(); // guarded by itself
        final String url;

        Server(Path jar) throws IOException {
            this(jar, List.of("--auth", "none"));
        }

        /** The server with these flags after host, port and store (for example tokens and TLS). */
        Server(Path jar, List<String> flags) throws IOException {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build cara-server-helidon first (./mvnw package)");
            }
            List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                    "--host", "127.0.0.1", "--port", "0", "--store", "memory:"));
            command.addAll(flags);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String found = null;
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                String line;
                while (found == null && System.nanoTime() < end && (line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        found = m.group(1).replace("0.0.0.0", "127.0.0.1");
                    }
                }
                if (found == null) {
                    throw new IllegalStateException("cara-server did not start; it printed:\n" + String.join("\n", output));
                }
                Thread drain = new Thread(() -> {
                    try {
                        r.lines().forEach(l -> {
                            synchronized (output) {
                                output.add(l);
                            }
                        });
                    } catch (UncheckedIOException closed) {
                        // The server was stopped: its output ends here.
                    }
                }, "cara-server-output");
                drain.setDaemon(true);
                drain.start();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
            url = found.endsWith("/") ? found.substring(0, found.length() - 1) : found;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The outcome of one launcher run. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the launcher to completion, with HOME pointing at an empty directory and no CARA_SERVER. */
    static Run caractrl(Path home, String stdin, String... args) throws IOException, InterruptedException {
        return run(command(home, args), stdin);
    }

    /** Runs a process to completion (at most 60 s), feeding it {@code stdin}. */
    static Run run(ProcessBuilder pb, String stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("caractrl", ".out");
        Path err = Files.createTempFile("caractrl", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", pb.command()) + " did not finish within 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static ProcessBuilder command(Path home, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("CARA_SERVER");
        env.put("HOME", home.toString());
        return pb;
    }
}
