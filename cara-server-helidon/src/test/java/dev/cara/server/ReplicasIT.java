package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server processes on one PostgreSQL schema, behind a "load balancer" (the test sends each
 * heartbeat to the next replica that is up). The leader is killed with SIGKILL: the other takes over
 * within the lease TTL, nodes that keep heartbeating stay Ready throughout, and a silent node turns
 * NotReady exactly once.
 */
class ReplicasIT {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE_TTL = Duration.ofSeconds(10); // the JDBC store's default
    /**
     * What a failover may take beyond the TTL: the survivor tries again 5 ms after the dead leader's
     * lease runs out, then needs a round trip to the database, and this test a poll to see it; on a
     * busy two-core machine each can wait for a core. A survivor that waited another TTL would fail.
     */
    private static final Duration FAILOVER_SLACK = Duration.ofSeconds(2);
    private static final List<String> LIVELY = List.of("lively-1", "lively-2");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String schema = "cara_rep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private ScheduledExecutorService agents;

    @BeforeEach
    void createSchema() throws Exception {
        sql("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agents != null) {
            agents.shutdownNow();
        }
        servers.forEach(ServerProcess::close);
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void aKilledLeaderIsReplacedAndOnlyTheSilentNodeTurnsNotReady(@TempDir Path dir) throws Exception {
        String store = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema;
        for (int i = 0; i < 2; i++) {
            Path work = Files.createDirectories(dir.resolve("r" + i));
            ServerProcess s = ServerProcess.start(work, Map.of("DATABASE_URL", store, "PORT", "0", "HOST", "127.0.0.1",
                    "HEARTBEAT_TIMEOUT", "6s"));
            servers.add(s);
            urls.add(ServerProcess.url(s.awaitStartupLine(WAIT)));
        }
        for (String n : List.of("lively-1", "lively-2", "quiet")) {
            assertEquals(201, send(urls.get(0), "POST", "/api/v1/nodes", "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\","
                    + "\"metadata\":{\"name\":\"" + n + "\"},\"spec\":{\"hostname\":\"" + n + ".lan\"}}").statusCode());
        }
        assertEquals(204, send(urls.get(1), "POST", "/api/v1/nodes/quiet/heartbeat", "{\"state\":\"Ready\"}").statusCode());
        List<Boolean> up = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(true, true));
        AtomicInteger rounds = new AtomicInteger();
        agents = Executors.newSingleThreadScheduledExecutor();
        agents.scheduleAtFixedRate(() -> {
            int round = rounds.getAndIncrement();
            for (int i = 0; i < LIVELY.size(); i++) {
                for (int attempt = 0; attempt < 2; attempt++) {
                    int to = (round + i + attempt) % 2;
                    if (up.get(to) && sendQuietly(urls.get(to), "POST", "/api/v1/nodes/" + LIVELY.get(i) + "/heartbeat",
                            "{\"state\":\"Ready\"}") == 204) {
                        break; // the load balancer retries on the other replica
                    }
                }
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        // "quiet" heartbeats until every node is Ready: with one heartbeat only, a slow start could
        // outlast its 6 s timeout here, and the leader about to be killed would write its NotReady.
        Eventually.await(WAIT, "every node Ready", () -> {
            sendQuietly(urls.get(1), "POST", "/api/v1/nodes/quiet/heartbeat", "{\"state\":\"Ready\"}");
            return List.of("lively-1", "lively-2", "quiet").stream().allMatch(n -> state(urls.get(1), n).equals("Ready"));
        });

        long leaderPid = Eventually.await(WAIT, "a leader in the lease row", this::leaderPid, pid -> pid > 0);
        int leader = -1;
        for (int i = 0; i < 2; i++) {
            if (servers.get(i).pid() == leaderPid) {
                leader = i;
            }
        }
        assertTrue(leader >= 0, "the lease holder " + leaderPid + " is not one of the servers");
        int survivor = 1 - leader;
        up.set(leader, false);
        ProcessHandle.of(leaderPid).ifPresent(ProcessHandle::destroyForcibly);
        long killedAt = System.nanoTime();
        long survivorPid = servers.get(survivor).pid();
        Eventually.await(LEASE_TTL.plus(WAIT), "the survivor to take the lease", () -> leaderPid() == survivorPid);
        Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
        assertTrue(failover.compareTo(LEASE_TTL.plus(FAILOVER_SLACK)) <= 0, "failover took " + failover.toMillis()
                + " ms; lease TTL is " + LEASE_TTL.toMillis() + " ms");

        String url = urls.get(survivor);
        Eventually.await(WAIT, "the silent node to turn NotReady", () -> state(url, "quiet").equals("NotReady"));
        int target = rounds.get() + 6;
        Eventually.await(WAIT, "three more seconds of heartbeats", () -> rounds.get() >= target);
        for (String n : LIVELY) {
            assertEquals("Ready", state(url, n), n + " kept heartbeating");
        }
        String metrics = send(url, "GET", "/observe/metrics", null).body();
        assertEquals(1, counter(metrics, "Ready", "NotReady"), "exactly one Ready->NotReady (the silent node):\n" + metrics);

        // Defect 12: the new leader says so at the server's default log level, and in metrics and health.
        ServerProcess newLeader = servers.get(survivor);
        Eventually.await(WAIT, "the survivor to log at INFO that it leads", () -> newLeader.stderr.stream()
                .anyMatch(l -> l.contains("INFO") && l.contains("now leads term")));
        assertEquals(1, gauge(metrics, "cara_leader"), "cara_leader is 1 on the survivor:\n" + metrics);
        assertTrue(gauge(metrics, "cara_leader_term") >= 2, "a term after the dead leader's:\n" + metrics);
        String health = send(url, "GET", "/observe/health", null).body();
        assertTrue(health.contains("\"leading\":true"), health);
    }

    /** The value of a gauge, summed over its labels. */
    private static double gauge(String metrics, String name) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})?\\s+([0-9.eE+-]+)$").matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    /** The pid in the lease holder's id ({@code host/pid/suffix}) of an unexpired lease, or -1. */
    private long leaderPid() {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT holder FROM " + schema + ".cara_lease WHERE expires_at > clock_timestamp()")) {
            if (!rs.next()) {
                return -1;
            }
            String[] parts = rs.getString(1).split("/");
            return parts.length >= 2 ? Long.parseLong(parts[1]) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static double counter(String metrics, String from, String to) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^cara_state_transitions_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)").matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("from=\"" + from + "\"") && m.group(1).contains("to=\"" + to + "\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private String state(String base, String name) {
        HttpResponse<String> r = sendQuietlyResponse(base, "GET", "/api/v1/nodes/" + name, null);
        if (r == null || r.statusCode() != 200) {
            return "?";
        }
        return dev.cara.sdk.CaraJson.parseNode(r.body()).state().wireName();
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

    private int sendQuietly(String base, String method, String path, String body) {
        HttpResponse<String> r = sendQuietlyResponse(base, method, path, body);
        return r == null ? -1 : r.statusCode();
    }

    private HttpResponse<String> sendQuietlyResponse(String base, String method, String path, String body) {
        try {
            return send(base, method, path, body);
        } catch (Exception e) {
            return null;
        }
    }

    static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
