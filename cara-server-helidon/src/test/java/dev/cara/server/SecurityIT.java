package dev.cara.server;

import dev.cara.sdk.testkit.JsonTrees;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.TestCertificates;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * The security rules end to end: a real server process over HTTPS (certificates made at test time)
 * with tokens, and the rules of issue 12 checked over the wire. The brute-force limit and the open
 * mode get servers of their own, so that their failures from 127.0.0.1 do not block the others.
 */
class SecurityIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static TestCertificates ca;
    static ServerProcess server;
    static String url;
    static String admin;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.authority("cara test CA");
        TestCertificates.Paths tls = ca.localhostServer().writeTo(dir, "server");
        Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        server = ServerProcess.start(dir, Map.of(), "--host", "127.0.0.1", "--port", "0", "--store", "memory:",
                "--auth", "token", "--tls-cert", tls.certificate().toString(), "--tls-key", tls.key().toString(),
                "--tls-client-ca", caFile.toString());
        url = ServerProcess.url(server.awaitStartupLine(START)).replace("127.0.0.1", "localhost");
        admin = Files.readString(dir.resolve("cara-data").resolve("admin-token")).trim();
        http = client(ca.clientContext(null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<String> call(HttpClient client, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return new ProjectCalls(client, url).call(method, path, token, body);
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return call(http, method, path, token, body);
    }

    static String token(String role, String extra) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/tokens", admin, "{\"role\":\"" + role + "\"" + extra + "}");
        assertEquals(201, r.statusCode(), r.body());
        return JsonTrees.object(r.body()).getString("token");
    }

    static String detail(HttpResponse<String> r) {
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        return JsonTrees.object(r.body()).getString("detail");
    }

    @Test
    void theFirstAdminTokenIsPrintedOnceAndKeptInAFileOnlyItsOwnerCanRead() throws Exception {
        Path file = dir.resolve("cara-data").resolve("admin-token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(1, server.stdoutSeen.stream().filter(l -> l.contains(admin)).count(), server.stdoutSeen.toString());
        assertTrue(server.stdoutSeen.get(0).contains("https://127.0.0.1:") && server.stdoutSeen.get(0).contains("auth token"));
        assertEquals(200, call("GET", "/api/v1/nodes", admin, null).statusCode());
    }

    @Test
    void missingWrongAndMalformedTokensAre401WithWwwAuthenticateAndNothingChanges() throws Exception {
        for (String bad : new String[] {null, "cara_" + "0".repeat(16) + "_" + "1".repeat(40), "hunter2",
                admin.substring(0, admin.length() - 1) + (admin.endsWith("0") ? "1" : "0")}) {
            HttpResponse<String> r = call("POST", "/api/v1/nodes", bad, "{\"metadata\":{\"name\":\"intruder\"}}");
            assertEquals(401, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
            assertFalse(detail(r).contains(admin.substring(22)), "the detail never echoes a secret");
        }
        assertEquals(404, call("GET", "/api/v1/nodes/intruder", admin, null).statusCode(), "nothing was registered");
        assertEquals(200, call("GET", "/observe/health", null, null).statusCode(), "health stays open");
    }

    @Test
    void aViewersDeleteIs403NamingWhatItMayNotDo() throws Exception {
        assertEquals(201, call("POST", "/api/v1/nodes", admin, "{\"metadata\":{\"name\":\"v1\"}}").statusCode());
        String viewer = token("viewer", ",\"description\":\"ci-viewer\"");
        assertEquals(200, call("GET", "/api/v1/nodes/v1", viewer, null).statusCode());
        HttpResponse<String> r = call("DELETE", "/api/v1/nodes/v1", viewer, null);
        assertEquals(403, r.statusCode());
        assertEquals("token \"ci-viewer\" (role viewer) may not delete node \"v1\": viewers may only read and watch", detail(r));
        assertEquals(200, call("GET", "/api/v1/nodes/v1", admin, null).statusCode(), "the node is still there");
        assertEquals(403, call("GET", "/api/v1/tokens", viewer, null).statusCode(), "viewers do not see tokens");
    }

    @Test
    void aBootstrapTokenEnrollsANodeWhoseCredentialMayHeartbeatOnlyItsOwnNodeAndRegisterItAgain() throws Exception {
        assertEquals(201, call("POST", "/api/v1/nodes", admin, "{\"metadata\":{\"name\":\"other\"}}").statusCode());
        String bootstrap = token("agent-bootstrap", ",\"ttl\":\"24h\"");
        HttpResponse<String> reg = call("POST", "/api/v1/nodes", bootstrap, "{\"metadata\":{\"name\":\"enrolled\"}}");
        assertEquals(201, reg.statusCode(), reg.body());
        String credential = reg.headers().firstValue("Cara-Node-Token").orElseThrow();
        assertEquals(403, call("POST", "/api/v1/nodes/enrolled/heartbeat", bootstrap, null).statusCode(),
                "the bootstrap token itself may only register");

        assertEquals(204, call("POST", "/api/v1/nodes/enrolled/heartbeat", credential, "{\"state\":\"Ready\"}").statusCode());
        HttpResponse<String> other = call("POST", "/api/v1/nodes/other/heartbeat", credential, "{\"state\":\"Ready\"}");
        assertEquals(403, other.statusCode());
        assertTrue(detail(other).contains("may not heartbeat node \"other\""), detail(other));
        JsonObject untouched = JsonTrees.object(call("GET", "/api/v1/nodes/other", admin, null).body());
        assertFalse(untouched.getJsonObject("status").containsKey("lastHeartbeat"), "the other node is untouched: " + untouched);
        assertEquals(403, call("GET", "/api/v1/nodes", credential, null).statusCode(), "a node reads only its own node");

        // Deleted by an operator, the node registers again with the credential it stored; no new one is handed out.
        assertEquals(204, call("DELETE", "/api/v1/nodes/enrolled", admin, null).statusCode());
        HttpResponse<String> again = call("POST", "/api/v1/nodes", credential, "{\"metadata\":{\"name\":\"enrolled\"}}");
        assertEquals(201, again.statusCode(), again.body());
        assertTrue(again.headers().firstValue("Cara-Node-Token").isEmpty());
        assertEquals(403, call("POST", "/api/v1/nodes", credential, "{\"metadata\":{\"name\":\"stolen\"}}").statusCode());
        HttpResponse<String> taken = call("POST", "/api/v1/nodes", bootstrap, "{\"metadata\":{\"name\":\"other\"}}");
        assertEquals(409, taken.statusCode());
        assertTrue(taken.headers().firstValue("Cara-Node-Token").isEmpty(), "a refused registration hands out nothing");
        Eventually.until(START, () -> server.stdoutSeen.stream()
                        .anyMatch(l -> l.contains("action=delete object=\"node \\\"enrolled\\\"\" status=204")),
                () -> "an audit line for the delete in " + server.stdoutSeen);
        assertTrue(server.stdoutSeen.stream().anyMatch(l -> l.contains("role=agent-bootstrap") && l.contains("action=create")
                && l.contains("status=201")), server.stdoutSeen.toString());
    }

    @Test
    void aClientCertificateIsTheCredentialOfTheNodeItsCnNames() throws Exception {
        HttpClient node = client(ca.clientContext(ca.client("cert-node")));
        assertEquals(201, call(node, "POST", "/api/v1/nodes", null, "{\"metadata\":{\"name\":\"cert-node\"}}").statusCode());
        assertEquals(204, call(node, "POST", "/api/v1/nodes/cert-node/heartbeat", null, null).statusCode());
        assertEquals(403, call(node, "DELETE", "/api/v1/nodes/cert-node", null, null).statusCode());
        HttpClient stranger = client(TestCertificates.authority("another CA").clientContext(null));
        try {
            call(stranger, "GET", "/api/v1/version", null, null);
            throw new AssertionError("a client that does not trust the server's CA must not connect");
        } catch (IOException expected) {
            // the server's certificate is not trusted: TLS verifies the server
        }
    }

    @Test
    void aRevokedTokenIsRefusedWithinOneSecond() throws Exception {
        String viewer = token("viewer", "");
        assertEquals(200, call("GET", "/api/v1/nodes", viewer, null).statusCode());
        String id = viewer.substring(5, 21);
        assertEquals(204, call("DELETE", "/api/v1/tokens/" + id, admin, null).statusCode());
        long revoked = System.nanoTime();
        int status;
        do {
            status = call("GET", "/api/v1/nodes", viewer, null).statusCode();
        } while (status != 401 && System.nanoTime() - revoked < Duration.ofSeconds(1).toNanos());
        assertEquals(401, status, "still accepted a second after its revocation");
        JsonObject listed = JsonTrees.object(call("GET", "/api/v1/tokens", admin, null).body());
        assertTrue(listed.getJsonArray("items").stream().map(JsonObject.class::cast)
                .anyMatch(t -> t.getString("id").equals(id) && t.getBoolean("revoked")), listed.toString());
        assertFalse(listed.toString().contains(viewer.substring(22)), "the list never shows secrets");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String brief = token("viewer", ",\"ttl\":\"1s\"");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> r;
        do {
            r = call("GET", "/api/v1/nodes", brief, null);
        } while (r.statusCode() == 200 && System.nanoTime() < deadline);
        assertEquals(401, r.statusCode());
        assertTrue(detail(r).contains("expired at"), detail(r));
    }

    @Test
    void badTokenRequestsAre400sNamingTheField() throws Exception {
        assertTrue(detail(call("POST", "/api/v1/tokens", admin, "{\"role\":\"root\"}")).startsWith("role: \"root\" is invalid"));
        assertTrue(detail(call("POST", "/api/v1/tokens", admin, "{\"role\":\"viewer\",\"ttl\":\"soon\"}")).contains("ttl"));
        assertEquals(404, call("DELETE", "/api/v1/tokens/feedfeedfeedfeed", admin, null).statusCode());
    }

    @Test
    void repeatedFailuresFromOneAddressAre429WithRetryAfterEvenForAGoodToken() throws Exception {
        Path own = Files.createDirectories(dir.resolve("limited"));
        try (ServerProcess limited = ServerProcess.start(own, Map.of(), "--host", "127.0.0.1", "--port", "0",
                "--store", "memory:", "--auth", "token")) {
            String base = ServerProcess.url(limited.awaitStartupLine(START));
            String good = Files.readString(own.resolve("cara-data").resolve("admin-token")).trim();
            HttpClient plain = HttpClient.newHttpClient();
            int status = 0;
            for (int i = 0; i < 11 && status != 429; i++) {
                status = plain.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes"))
                        .header("Authorization", "Bearer cara_" + "0".repeat(16) + "_" + "0".repeat(40)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            }
            assertEquals(429, status);
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes"))
                    .header("Authorization", "Bearer " + good).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, r.statusCode(), "a blocked address is not even checked");
            long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 2, "Retry-After " + retry);
        }
    }

    @Test
    void metricsAreOpenByDefaultAndWantAnAdminOrViewerTokenWithOpenMetricsFalse() throws Exception {
        assertEquals(200, call("GET", "/observe/metrics", null, null).statusCode(), "open by default");
        Path own = Files.createDirectories(dir.resolve("metrics"));
        try (ServerProcess guarded = ServerProcess.start(own, Map.of("OPEN_METRICS", "false"), "--host", "127.0.0.1",
                "--port", "0", "--store", "memory:", "--auth", "token")) {
            String base = ServerProcess.url(guarded.awaitStartupLine(START));
            String good = Files.readString(own.resolve("cara-data").resolve("admin-token")).trim();
            HttpClient plain = HttpClient.newHttpClient();
            HttpResponse<String> none = plain.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode(), none.body());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            HttpResponse<String> withToken = plain.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics"))
                    .header("Authorization", "Bearer " + good).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, withToken.statusCode());
            assertTrue(withToken.body().contains("cara_"), "Prometheus text");
            assertEquals(200, plain.send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "health stays open");
        }
    }

    @Test
    void openModeWarnsAtStartUpWithOneLine() throws Exception {
        Path own = Files.createDirectories(dir.resolve("open"));
        try (ServerProcess open = ServerProcess.start(own, Map.of(), "--host", "127.0.0.1", "--port", "0",
                "--store", "memory:", "--auth", "none")) {
            open.awaitStartupLine(START);
            Eventually.until(START, () -> !open.stderr.isEmpty(), () -> "a warning on stderr");
            List<String> warnings = open.stderr.stream().filter(l -> l.contains("WARNING")).toList();
            assertEquals(1, warnings.size(), open.stderr.toString());
            assertTrue(warnings.get(0).contains("--auth none"), warnings.get(0));
            assertFalse(Files.exists(own.resolve("cara-data").resolve("admin-token")), "no admin token in open mode");
        }
    }
}
