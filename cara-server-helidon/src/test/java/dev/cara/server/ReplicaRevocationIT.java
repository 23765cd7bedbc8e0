package dev.cara.server;

import dev.cara.sdk.testkit.JsonTrees;
import dev.cara.sdk.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens across replicas: two server processes over HTTPS on one PostgreSQL schema with token auth.
 * A token made on one replica works on the other (the store keeps it); revoked on the first while
 * the second has just accepted it (so that the second holds it in its authentication cache), it is
 * refused by the second within one second.
 */
class ReplicaRevocationIT {
    private static final Duration START = Duration.ofSeconds(60);
    private final String schema = "cara_rev_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        servers.forEach(ServerProcess::close);
        ReplicasIT.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void aTokenRevokedOnOneReplicaIsRefusedByTheOtherWithinOneSecond(@TempDir Path dir) throws Exception {
        ReplicasIT.sql("CREATE SCHEMA " + schema);
        TestCertificates ca = TestCertificates.authority("replica IT CA");
        TestCertificates.Paths tls = ca.localhostServer().writeTo(dir, "server");
        Path adminFile = dir.resolve("admin-token");
        String store = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema;
        List<String> urls = new ArrayList<>();
        // One after the other: the first makes the admin token, the second finds it in the file and the store.
        for (int i = 0; i < 2; i++) {
            ServerProcess s = ServerProcess.start(Files.createDirectories(dir.resolve("r" + i)), Map.of("DATABASE_URL", store),
                    "--host", "127.0.0.1", "--port", "0", "--auth", "token", "--admin-token-file", adminFile.toString(),
                    "--tls-cert", tls.certificate().toString(), "--tls-key", tls.key().toString());
            servers.add(s);
            urls.add(ServerProcess.url(s.awaitStartupLine(START)).replace("127.0.0.1", "localhost"));
        }
        String admin = Files.readString(adminFile).trim();
        HttpClient http = HttpClient.newBuilder().sslContext(ca.clientContext(null)).connectTimeout(Duration.ofSeconds(10)).build();
        assertEquals(200, BearerCalls.call(http, urls.get(1), "GET", "/api/v1/nodes", admin, null).statusCode(),
                "the admin token of the first replica works on the second");

        HttpResponse<String> made = BearerCalls.call(http, urls.get(0), "POST", "/api/v1/tokens", admin,
                "{\"role\":\"viewer\",\"description\":\"roaming\"}");
        assertEquals(201, made.statusCode(), made.body());
        String viewer = JsonTrees.object(made.body()).getString("token");
        assertEquals(200, BearerCalls.call(http, urls.get(1), "GET", "/api/v1/nodes", viewer, null).statusCode(),
                "made on one replica, accepted by the other");

        assertEquals(204, BearerCalls.call(http, urls.get(0), "DELETE", "/api/v1/tokens/" + viewer.substring(5, 21), admin, null)
                .statusCode());
        long revokedAt = System.nanoTime();
        int status;
        int polls = 0;
        do {
            status = BearerCalls.call(http, urls.get(1), "GET", "/api/v1/nodes", viewer, null).statusCode();
            polls++;
        } while (status != 401 && System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos());
        assertEquals(401, status, "the other replica still accepted the revoked token a second later (" + polls + " polls)");
        assertEquals(401, BearerCalls.call(http, urls.get(0), "GET", "/api/v1/nodes", viewer, null).statusCode(),
                "and the replica that revoked it refuses it at once");
        assertTrue(servers.stream().allMatch(s -> s.stdoutSeen.stream().noneMatch(l -> l.contains(viewer.substring(22)))),
                "no replica printed the viewer's secret");
    }
}
