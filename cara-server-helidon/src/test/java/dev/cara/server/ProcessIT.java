package dev.cara.server;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.Watch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as a real process: settings precedence, the start-up line, bad values, SIGTERM. */
class ProcessIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void laterSourcesWinAndSigtermStopsGracefully() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "port: 9\nheartbeat-timeout: 7s\nstore: \"memory:\"\nhost: 0.0.0.0\n");
        Files.writeString(dir.resolve(".env"), "PORT=10\nHEARTBEAT_TIMEOUT=11s\n");
        try (ServerProcess p = ServerProcess.start(dir, Map.of("PORT", "11"), "--port", "0", "--host", "127.0.0.1")) {
            String line = p.awaitStartupLine(START);
            // flags beat the environment (port), .env beats config.yaml (timeout), config.yaml beats the default (store)
            assertTrue(line.matches("cara-server listening on http://127\\.0\\.0\\.1:\\d+ \\(store memory:, heartbeat timeout 11s, auth none\\)"), line);
            String url = ServerProcess.url(line);
            assertTrue(!url.endsWith(":0") && !url.endsWith(":11"), url);

            BlockingQueue<String> closed = new LinkedBlockingQueue<>();
            try (CaraClient client = CaraClient.http(URI.create(url))) {
                assertEquals("caravanserai/v1", client.serverVersion().apiVersion());
                client.register(Node.builder("proc-1").build());
                Watch watch = client.watch(LabelSelector.everything(), e -> { }, closed::add);
                assertTrue(watch.isOpen());
                int exit = p.terminate(Duration.ofSeconds(30));
                assertEquals(143, exit, "SIGTERM exit code");
                String reason = closed.poll(30, TimeUnit.SECONDS);
                assertNotNull(reason, "the open watch ended when the server stopped");
            }
            p.awaitOutputEnd(START);
            assertTrue(p.stdoutSeen.contains("cara-server stopped"), "stdout " + p.stdoutSeen + ", stderr " + p.stderr);
            assertEquals(List.of(), p.stderr.stream().filter(l -> !l.isBlank() && !l.contains("WARNING: --auth none")).toList(),
                    "nothing on stderr but the open-mode warning");
            // open mode is the default for now (no --auth given), and it says so
            assertTrue(p.stderr.stream().anyMatch(l -> l.contains("WARNING: --auth none")), "stderr " + p.stderr);
        }
    }

    @Test
    void aBadDurationStopsStartupWithOneLineAndExit2() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "--heartbeat-timeout", "90", "--store", "memory:")) {
            assertEquals(2, p.awaitExit(START));
            List<String> err = p.stderrLines(START);
            assertEquals(1, err.size(), err.toString());
            String line = err.get(0);
            assertTrue(line.contains("--heartbeat-timeout") && line.contains("\"90\"") && line.contains("30s"), line);
        }
    }

    /** Defect 11: a typo in config.yaml was ignored and the server started on the default it meant to change. */
    @Test
    void aTypoInConfigYamlStopsStartupNamingTheKeyAndTheNearestOne() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "store: \"memory:\"\nheartbeat-timout: 10s\n");
        try (ServerProcess p = ServerProcess.start(dir, Map.of("SOME_OTHER_PROGRAMS_VARIABLE", "x"))) {
            assertEquals(2, p.awaitExit(START));
            assertEquals(List.of("cara-server: config.yaml: unknown key \"heartbeat-timout\"; did you mean \"heartbeat-timeout\"?"),
                    p.stderrLines(START));
        }
    }

    @Test
    void aBadPortFromTheEnvironmentNamesTheKeyAndTheValue() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of("PORT", "80a", "DATABASE_URL", "memory:"))) {
            assertEquals(2, p.awaitExit(START));
            List<String> err = p.stderrLines(START);
            assertEquals(List.of("cara-server: PORT (environment): \"80a\" is invalid: must be a TCP port from 0 to 65535"), err);
        }
    }

    @Test
    void anUnknownStoreSchemeNamesTheUrlAndTheKnownSchemes() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "--store", "nosuch:thing", "--port", "0")) {
            assertEquals(2, p.awaitExit(START));
            List<String> err = p.stderrLines(START);
            assertEquals(1, err.size(), err.toString());
            assertTrue(err.get(0).contains("nosuch:thing") && err.get(0).contains("memory:"), err.get(0));
        }
    }

    @Test
    void anUnknownFlagIsAUsageErrorWithExit2() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "--prot", "8080")) {
            assertEquals(2, p.awaitExit(START));
            List<String> err = p.stderrLines(START);
            assertTrue(err.get(0).contains("--prot"), err.toString());
        }
    }
}
