package dev.cara.server;

import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An old open-mode MapDB store upgraded in place: a server with {@code --auth none} registers nodes;
 * the same file under the server's default (token auth) keeps them, makes and prints the first admin
 * token once, refuses unauthenticated calls; a third start prints nothing new and the tokens of the
 * second (the admin token, a viewer made through the API) still work: they are in the store file.
 */
class OpenStoreUpgradeIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void anOpenStoreStartedWithTokensKeepsItsNodesAndGetsOneAdminToken() throws Exception {
        Path db = work.resolve("data").resolve("cara.db");
        String[] store = {"--host", "127.0.0.1", "--port", "0", "--store", "mapdb:" + db};
        try (ServerProcess open = ServerProcess.start(work, Map.of(), with(store, "--auth", "none"))) {
            String url = ServerProcess.url(open.awaitStartupLine(START));
            for (String name : List.of("old-1", "old-2", "old-3")) {
                HttpResponse<String> r = call(url, "POST", "/api/v1/nodes", null,
                        "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"era\":\"open\"}},\"spec\":{\"hostname\":\"" + name + ".lan\"}}");
                assertEquals(201, r.statusCode(), r.body());
            }
            assertEquals(204, call(url, "POST", "/api/v1/nodes/old-1/heartbeat", null, "{\"state\":\"Ready\"}").statusCode());
            assertEquals(143, open.terminate(START), "a clean stop on SIGTERM");
        }
        Path adminFile = work.resolve("data").resolve("admin-token");
        assertFalse(Files.exists(adminFile), "open mode makes no admin token");

        String admin;
        String viewer;
        try (ServerProcess secured = ServerProcess.startWithDefaults(work, Map.of(), store)) {
            String line = secured.awaitStartupLine(START);
            assertTrue(line.contains("auth token"), "token auth is the default: " + line);
            String url = ServerProcess.url(line);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(adminFile)));
            admin = Files.readString(adminFile).trim();
            String printed = admin;
            dev.cara.sdk.testkit.Eventually.until(START, () -> secured.stdoutSeen.stream().anyMatch(l -> l.contains(printed)),
                    () -> "the admin token printed once in " + secured.stdoutSeen.size() + " lines of output");

            HttpResponse<String> anonymous = call(url, "GET", "/api/v1/nodes", null, null);
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, call(url, "POST", "/api/v1/nodes/old-2/heartbeat", null, "{\"state\":\"Ready\"}").statusCode(),
                    "an agent without a token is refused (it needs a bootstrap token now)");

            JsonObject list = JsonTrees.object(call(url, "GET", "/api/v1/nodes", admin, null).body());
            assertEquals(List.of("old-1", "old-2", "old-3"), list.getJsonArray("items").stream()
                    .map(n -> n.asJsonObject().getJsonObject("metadata").getString("name")).sorted().toList());
            JsonObject first = JsonTrees.object(call(url, "GET", "/api/v1/nodes/old-1", admin, null).body());
            assertEquals("open", first.getJsonObject("metadata").getJsonObject("labels").getString("era"));
            assertEquals("old-1.lan", first.getJsonObject("spec").getString("hostname"));
            assertTrue(first.getJsonObject("status").containsKey("lastHeartbeat"), "its heartbeat kept: " + first);

            HttpResponse<String> made = call(url, "POST", "/api/v1/tokens", admin, "{\"role\":\"viewer\",\"description\":\"kept\"}");
            assertEquals(201, made.statusCode(), made.body());
            viewer = JsonTrees.object(made.body()).getString("token");
            assertEquals(143, secured.terminate(START), "a clean stop on SIGTERM");
            secured.awaitOutputEnd(START);
            assertEquals(1, secured.stdoutSeen.stream().filter(l -> l.contains(printed)).count(), "printed once");
        }

        try (ServerProcess again = ServerProcess.startWithDefaults(work, Map.of(), store)) {
            String url = ServerProcess.url(again.awaitStartupLine(START));
            assertEquals(admin, Files.readString(adminFile).trim(), "the file is left as it was");
            assertEquals(200, call(url, "GET", "/api/v1/nodes", admin, null).statusCode());
            assertEquals(200, call(url, "GET", "/api/v1/nodes/old-3", viewer, null).statusCode(), "a token made through the API is kept");
            assertEquals(143, again.terminate(START), "a clean stop on SIGTERM");
            again.awaitOutputEnd(START);
            assertFalse(again.stdoutSeen.stream().anyMatch(l -> l.contains("cara_")), "no token printed again: " + again.stdoutSeen);
        }
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private HttpResponse<String> call(String url, String method, String path, String token, String body) throws Exception {
        return BearerCalls.call(http, url, method, path, token, body);
    }
}
