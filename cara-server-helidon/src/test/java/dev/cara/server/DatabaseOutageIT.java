package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.TcpProxy;
import dev.cara.sdk.CaraJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server on PostgreSQL (through a TCP proxy the test can cut) loses its database: the API
 * answers 503 problem JSON, {@code /observe/health} reports the store down, and once the database is
 * back the server serves again without a restart. Runs the packaged jar as a process, in its own
 * schema of the local {@code test} database.
 */
class DatabaseOutageIT {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String schema = "cara_srv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private TcpProxy proxy;

    @BeforeEach
    void createSchema() throws Exception {
        sql("CREATE SCHEMA " + schema);
        proxy = new TcpProxy(5432);
    }

    @AfterEach
    void dropSchema() throws Exception {
        proxy.close();
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void answers503WhileTheDatabaseIsAwayAndRecoversByItself(@TempDir Path dir) throws Exception {
        String store = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?user=postgres&currentSchema=" + schema;
        try (ServerProcess server = ServerProcess.start(dir, Map.of("DATABASE_URL", store, "PORT", "0", "HOST", "127.0.0.1"))) {
            String url = ServerProcess.url(server.awaitStartupLine(WAIT));
            assertEquals(201, send(url, "POST", "/api/v1/nodes",
                    "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"db-1\"},\"spec\":{\"hostname\":\"db-1.lan\"}}")
                    .statusCode());
            assertEquals(200, send(url, "GET", "/api/v1/nodes/db-1", null).statusCode());

            proxy.cut();
            HttpResponse<String> down = Eventually.await(WAIT, "a 503 while the database is away",
                    () -> sendQuietly(url, "GET", "/api/v1/nodes/db-1", null), r -> r != null && r.statusCode() == 503);
            assertTrue(down.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    down.headers().toString());
            assertEquals(503, CaraJson.parseProblem(down.body()).status(), down.body());
            assertEquals(503, send(url, "GET", "/api/v1/nodes", null).statusCode());
            HttpResponse<String> health = send(url, "GET", "/observe/health", null);
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("store"), health.body());

            proxy.restore();
            Eventually.await(WAIT, "the API to answer again", () -> {
                HttpResponse<String> r = sendQuietly(url, "GET", "/api/v1/nodes/db-1", null);
                return r != null && r.statusCode() == 200;
            });
            Eventually.await(WAIT, "health to report the store up", () -> {
                HttpResponse<String> r = sendQuietly(url, "GET", "/observe/health", null);
                return r != null && r.statusCode() / 100 == 2;
            });
            assertEquals(204, send(url, "POST", "/api/v1/nodes/db-1/heartbeat", "{\"state\":\"Ready\"}").statusCode());
        }
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

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
