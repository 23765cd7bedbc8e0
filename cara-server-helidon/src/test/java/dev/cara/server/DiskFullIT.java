package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Node;
import dev.cara.sdk.Problem;
import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server on MapDB when the file system fills up (issue 13): spec writes fail with 503 problem
 * JSON naming the store file and the cause, heartbeats are still accepted, nothing acknowledged is
 * lost, and writes succeed again as soon as space returns, without a restart. The store lives on a
 * 16 MiB tmpfs that the test mounts, so it needs root (skipped otherwise); a filler file takes the
 * space and deleting it gives it back.
 */
class DiskFullIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int NODES = 10;

    // Owned by the JUnit thread: the mounted tmpfs, unmounted in @AfterAll.
    private static Path mount;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void mountSmallTmpfs() throws Exception {
        assumeTrue(isRoot(), "DiskFullIT needs root to mount a small tmpfs (mount -t tmpfs); skipped as user "
                + System.getProperty("user.name") + ". Run the build as root to include it");
        Path dir = Files.createTempDirectory("cara-disk-full");
        String out = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir.toString());
        if (out != null) {
            Files.deleteIfExists(dir);
            assumeTrue(false, "DiskFullIT could not mount a tmpfs on " + dir + " (" + out + "); skipped");
        }
        mount = dir;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            String out = run("umount", mount.toString());
            if (out == null) {
                Files.deleteIfExists(mount);
            } else {
                throw new AssertionError("could not unmount the test's tmpfs " + mount + ": " + out);
            }
        }
    }

    @Test
    void aFullDiskFailsWritesWith503KeepsHeartbeatsAndRecoversWhenSpaceReturns(@TempDir Path work) throws Exception {
        Path file = mount.resolve("cara.db");
        Path filler = mount.resolve("filler");
        Map<String, String> env = Map.of("PORT", "0", "HOST", "127.0.0.1");
        Map<String, String> acknowledged;
        String lastHeartbeatDuringTheOutage;
        try (ServerProcess server = ServerProcess.start(work, env, "--store", "mapdb:" + file)) {
            String url = ServerProcess.url(server.awaitStartupLine(WAIT));
            for (int i = 0; i < NODES; i++) {
                assertEquals(201, send(url, "POST", "/api/v1/nodes", manifest("web-" + i, "a")).statusCode());
                assertEquals(204, send(url, "POST", "/api/v1/nodes/web-" + i + "/heartbeat", "{\"state\":\"Ready\"}").statusCode());
            }
            assertEquals(200, send(url, "PUT", "/api/v1/nodes/web-0", manifest("web-0", "b")).statusCode());
            assertEquals(204, send(url, "DELETE", "/api/v1/nodes/web-9", null).statusCode());
            acknowledged = versions(url);

            fill(filler);
            assertUnavailableNamingTheFile(send(url, "POST", "/api/v1/nodes", manifest("web-new", "a")), file);
            assertUnavailableNamingTheFile(send(url, "PUT", "/api/v1/nodes/web-0", manifest("web-0", "c")), file);
            assertUnavailableNamingTheFile(send(url, "DELETE", "/api/v1/nodes/web-1", null), file);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < NODES - 1; i++) {
                    assertEquals(204, send(url, "POST", "/api/v1/nodes/web-" + i + "/heartbeat", "{\"state\":\"Ready\"}").statusCode(),
                            "heartbeats must be accepted while the disk is full");
                }
            }
            assertEquals(acknowledged, versions(url), "what was acknowledged before the disk filled is all there, "
                    + "and no failed write shows");
            HttpResponse<String> down = Eventually.await(WAIT, "health to report that heartbeats are not committed",
                    () -> sendQuietly(url, "GET", "/observe/health", null), r -> r != null && r.statusCode() == 503);
            assertTrue(down.body().contains("No space left on device"), down.body());
            lastHeartbeatDuringTheOutage = lastHeartbeat(url, "web-2");

            Files.delete(filler);
            HttpResponse<String> created = Eventually.await(WAIT, "a registration to succeed once space returns",
                    () -> sendQuietly(url, "POST", "/api/v1/nodes", manifest("web-new", "a")),
                    r -> r != null && r.statusCode() != 503);
            assertEquals(201, created.statusCode(), created.body());
            assertEquals(200, send(url, "PUT", "/api/v1/nodes/web-0", manifest("web-0", "c")).statusCode());
            assertEquals(204, send(url, "DELETE", "/api/v1/nodes/web-1", null).statusCode());
            Eventually.await(WAIT, "health to report the store up again", () -> {
                HttpResponse<String> r = sendQuietly(url, "GET", "/observe/health", null);
                return r != null && r.statusCode() / 100 == 2;
            });
            acknowledged = versions(url);
            assertEquals(143, server.terminate(WAIT), "the SIGTERM exit code: a clean stop once space is back");
            List<String> log = server.stderrLines(WAIT);
            assertEquals(1, log.stream().filter(l -> l.contains("could not commit status writes")).count(),
                    "the failing status flushes are logged once, not on every tick: " + log);
        }

        try (ServerProcess again = ServerProcess.start(work, env, "--store", "mapdb:" + file)) {
            String url = ServerProcess.url(again.awaitStartupLine(WAIT));
            assertEquals(acknowledged, versions(url), "after a restart, every acknowledged write is there");
            assertEquals(lastHeartbeatDuringTheOutage, lastHeartbeat(url, "web-2"),
                    "a heartbeat acknowledged while the disk was full survives the restart");
            assertEquals("c", CaraJson.parseNode(send(url, "GET", "/api/v1/nodes/web-0", null).body())
                    .metadata().labels().get("tier"));
        }
    }

    private static void assertUnavailableNamingTheFile(HttpResponse<String> r, Path file) {
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE), r.headers().toString());
        Problem p = CaraJson.parseProblem(r.body());
        assertEquals(503, p.status());
        assertTrue(p.detail().contains(file.toString()), "the detail names the store file: " + p.detail());
        assertTrue(p.detail().contains("No space left on device"), "the detail names the cause: " + p.detail());
    }

    /** Writes zeros until the file system refuses even a page, so that nothing is left for the store. */
    private static void fill(Path filler) throws IOException {
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int chunk : new int[] {1 << 20, 4096, 512}) {
                ByteBuffer zeros = ByteBuffer.allocate(chunk);
                try {
                    while (true) {
                        zeros.clear();
                        ch.write(zeros);
                    }
                } catch (IOException full) {
                    assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
                }
            }
        }
        long free = Files.getFileStore(filler).getUsableSpace();
        assertTrue(free < 64 * 1024, "the filler left " + free + " bytes free");
    }

    /** Every node's name and resourceVersion, plus its labels: what acknowledged spec writes left. */
    private Map<String, String> versions(String url) throws Exception {
        HttpResponse<String> r = send(url, "GET", "/api/v1/nodes", null);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, String> out = new TreeMap<>();
        for (Node n : CaraJson.parseNodeList(r.body()).items()) {
            out.put(n.name(), n.metadata().resourceVersion() + " " + new TreeMap<>(n.metadata().labels()));
        }
        return out;
    }

    private String lastHeartbeat(String url, String name) throws Exception {
        HttpResponse<String> r = send(url, "GET", "/api/v1/nodes/" + name, null);
        assertEquals(200, r.statusCode(), r.body());
        return String.valueOf(CaraJson.parseNode(r.body()).status().lastHeartbeat());
    }

    private static String manifest(String name, String tier) {
        return "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"tier\":\"" + tier + "\"}},\"spec\":{\"hostname\":\"" + name + ".lan\"}}";
    }

    private HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendQuietly(String base, String method, String path, String body) {
        try {
            return send(base, method, path, body);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // not Linux, or no unix attribute view: not a place to mount a tmpfs either
        }
    }

    /** Runs a command; null when it succeeded, else its exit code and output. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish within 30 s";
        }
        return p.exitValue() == 0 ? null
                : String.join(" ", List.of(command)) + " exited " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8).strip();
    }
}
