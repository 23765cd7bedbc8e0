package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.DeletionGuard;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs caractrl in-process against a control plane over a memory store, with a clock and a ticker
 * the test moves by hand. Each test gets its own (the class is not shared between threads except
 * for the watch test, which reads the output through {@link #out()} under its lock).
 */
final class Harness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    /** The control plane's wall clock and ticker, and the CLI's clock for ages. */
    final FakeTime clock = new FakeTime(T0);
    final ControlPlane controlPlane;
    final Map<String, String> env = new HashMap<>();
    final Path home;
    /** Wraps the client each command opens; tests use it to inject races or failures. */
    UnaryOperator<CaraClient> clientWrapper = UnaryOperator.identity();
    /** The projects the commands see (the in-process client has no project calls yet); wraps clientWrapper's client. */
    final ProjectBook projects = new ProjectBook(clock);
    String lastServer;

    Harness() {
        this(DeletionGuard.ALLOW_ALL);
    }

    Harness(DeletionGuard guard) {
        controlPlane = ControlPlane.builder()
                .store(MemoryStore.create())
                .clock(clock)
                .ticker(clock)
                .manualTicks(true)
                .deletionGuard(guard)
                .build()
                .start();
        try {
            home = Files.createTempDirectory("caractrl-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CtlContext ctx = new CtlContext(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, home, clock,
                server -> {
                    lastServer = server;
                    return projects.over(clientWrapper.apply(CaraClient.inProcess(controlPlane)));
                });
        int code = Cli.run(ctx, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Starts a command that runs until something ends it (get -w); its output can be read as it comes. */
    Running start(String... args) {
        Running r = new Running(new StringWriter(), new StringWriter());
        CtlContext ctx = new CtlContext(new PrintWriter(r.out), new PrintWriter(r.err),
                new ByteArrayInputStream(new byte[0]), env, home, clock,
                server -> projects.over(clientWrapper.apply(CaraClient.inProcess(controlPlane))));
        Thread t = new Thread(() -> r.code.complete(Cli.run(ctx, args)), "caractrl-under-test");
        t.setDaemon(true);
        t.start();
        return r;
    }

    /** A command running on its own thread; StringWriter is synchronized, so reading it while written is safe. */
    record Running(StringWriter out, StringWriter err, java.util.concurrent.CompletableFuture<Integer> code) {
        Running(StringWriter out, StringWriter err) {
            this(out, err, new java.util.concurrent.CompletableFuture<>());
        }
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    @Override
    public void close() {
        controlPlane.close();
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
