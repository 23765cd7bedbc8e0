package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.cara.server.ProjectCalls.node;
import static dev.cara.server.ProjectCalls.project;
import static dev.cara.server.ProjectCalls.readyHeartbeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server processes on one PostgreSQL schema, scheduling a backlog of projects onto nodes with
 * little room; the leader is killed with SIGKILL while it binds them. Watching the project stream on
 * the survivor throughout: no project is ever bound twice (no node dies here, so a nodeRef, once set,
 * never changes), no node ever holds more than it can allocate, and once the survivor leads every
 * project ends bound.
 *
 * <p>Four nodes of 1 CPU, sixteen projects of 250m: exactly full. Only two nodes are Ready before
 * the kill, so at least half the projects are still Pending when the leader dies; the other two
 * come up after it, and the survivor must bind the rest there.
 */
class ProjectReplicasIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> NODES = List.of("rn-0", "rn-1", "rn-2", "rn-3");
    private static final int PROJECTS = 16;
    private static final long ALLOCATABLE_MILLI = 1000;
    private static final long REQUEST_MILLI = 250;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String schema = "cara_prep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final List<ProjectCalls> replicas = new ArrayList<>();
    private final List<Boolean> up = new CopyOnWriteArrayList<>(List.of(true, true));
    private final Map<String, Boolean> heartbeating = new ConcurrentHashMap<>();
    private ScheduledExecutorService agents;

    /** What the watch has seen: guarded by its own lock, written by the reader thread, read by the test. */
    private final Object seenLock = new Object();
    private final Map<String, JsonObject> current = new HashMap<>();
    private final Map<String, String> firstBinding = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int events;

    @BeforeEach
    void createSchema() throws Exception {
        ReplicasIT.sql("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agents != null) {
            agents.shutdownNow();
        }
        servers.forEach(ServerProcess::close);
        ReplicasIT.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void aLeaderKilledWhileSchedulingNeitherDoubleBindsNorOvercommitsAndTheSurvivorBindsTheRest(@TempDir Path dir)
            throws Exception {
        String store = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema;
        for (int i = 0; i < 2; i++) {
            ServerProcess s = ServerProcess.start(Files.createDirectories(dir.resolve("r" + i)), Map.of(),
                    "--auth", "none", "--host", "127.0.0.1", "--port", "0", "--store", store, "--heartbeat-timeout", "20s");
            servers.add(s);
            urls.add(ServerProcess.url(s.awaitStartupLine(WAIT)));
            replicas.add(new ProjectCalls(http, urls.get(i)));
        }
        for (String n : NODES) {
            assertEquals(201, replicas.get(0).call("POST", "/api/v1/nodes", node(n, "rep")).statusCode());
        }
        heartbeating.put("rn-0", true);
        heartbeating.put("rn-1", true);
        agents = Executors.newSingleThreadScheduledExecutor();
        agents.scheduleAtFixedRate(this::heartbeatRound, 0, 500, TimeUnit.MILLISECONDS);
        Eventually.await(WAIT, "two nodes Ready", () -> List.of("rn-0", "rn-1").stream().allMatch(n -> nodeState(n).equals("Ready")));

        long leaderPid = Eventually.await(WAIT, "a leader in the lease row", () -> ReplicasIT.leaderPid(schema), pid -> pid > 0);
        int leader = servers.get(0).pid() == leaderPid ? 0 : 1;
        assertEquals(leaderPid, servers.get(leader).pid(), "the lease holder is one of the servers");
        int survivor = 1 - leader;
        HttpResponse<Stream<String>> stream = watch(survivor);

        for (int i = 0; i < PROJECTS; i++) {
            int n = i;
            Thread.ofVirtual().start(() -> createOnAnyReplica(String.format("rp-%02d", n)));
        }
        Eventually.await(WAIT, "the leader to start binding", () -> bound() >= 2);
        up.set(leader, false);
        ProcessHandle.of(leaderPid).ifPresent(ProcessHandle::destroyForcibly);
        int boundAtKill = bound();
        assertTrue(boundAtKill <= 8, "only two nodes of room for 4 each were Ready: " + boundAtKill + " bound");

        Eventually.await(WAIT, "the survivor to take the lease", () -> ReplicasIT.leaderPid(schema) == servers.get(survivor).pid());
        heartbeating.put("rn-2", true);
        heartbeating.put("rn-3", true);
        Eventually.until(WAIT, () -> bound() == PROJECTS, () -> bound() + " of " + PROJECTS + " bound; seen " + snapshot());
        stream.body().close();

        synchronized (seenLock) {
            assertEquals(List.of(), violations, "over " + events + " events");
            System.out.println("ProjectReplicasIT: " + boundAtKill + " of " + PROJECTS + " bound when the leader was killed, "
                    + events + " watch events checked, every project bound once, no node over its " + ALLOCATABLE_MILLI + "m");
        }
        // The store agrees with what the watch saw.
        HttpResponse<String> list = replicas.get(survivor).call("GET", "/api/v1/projects?phase=Scheduled", null);
        Map<String, Long> perNode = new HashMap<>();
        for (var item : JsonTrees.object(list.body()).getJsonArray("items")) {
            perNode.merge(item.asJsonObject().getJsonObject("status").getString("nodeRef"), REQUEST_MILLI, Long::sum);
        }
        assertEquals(Map.of("rn-0", 1000L, "rn-1", 1000L, "rn-2", 1000L, "rn-3", 1000L), perNode);
    }

    // ------------------------------------------------------------------ the fleet and the load balancer

    /** One heartbeat per heartbeating node, to the next replica that is up (a load balancer retrying once). */
    private void heartbeatRound() {
        for (String n : heartbeating.keySet()) {
            for (int to = 0; to < 2; to++) {
                if (up.get(to) && status(replicas.get(to), "POST", "/api/v1/nodes/" + n + "/heartbeat",
                        readyHeartbeat("1")) == 204) {
                    break;
                }
            }
        }
    }

    /** A create that survives the kill: a lost answer is retried on the other replica, where 409 means it landed. */
    private void createOnAnyReplica(String name) {
        String manifest = project(name, "rep", REQUEST_MILLI + "m", Map.of("run", "replicas"));
        for (int attempt = 0; attempt < 20; attempt++) {
            int to = attempt % 2;
            int s = up.get(to) ? status(replicas.get(to), "POST", "/api/v1/projects", manifest) : -1;
            if (s == 201 || s == 409) {
                return;
            }
        }
        synchronized (seenLock) {
            violations.add(name + " could not be created on either replica");
        }
    }

    private static int status(ProjectCalls replica, String method, String path, String body) {
        try {
            return replica.call(method, path, body).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String nodeState(String name) {
        for (int i = 0; i < 2; i++) {
            try {
                HttpResponse<String> r = replicas.get(i).call("GET", "/api/v1/nodes/" + name, null);
                if (r.statusCode() == 200) {
                    return JsonTrees.object(r.body()).getJsonObject("status").getString("state");
                }
            } catch (Exception e) {
                // the other replica, then
            }
        }
        return "?";
    }

    // ------------------------------------------------------------------ the watch and its invariants

    private HttpResponse<Stream<String>> watch(int replica) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(urls.get(replica) + "/api/v1/projects?watch=true&labelSelector=run%3Dreplicas")).build();
        HttpResponse<Stream<String>> r = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        Thread.ofVirtual().start(() -> {
            try {
                r.body().filter(l -> !l.isBlank()).forEach(this::observe);
            } catch (UncheckedIOException closedByTheTest) {
                // the test closed the stream
            }
        });
        return r;
    }

    /** One event: apply it, then check both invariants on the state it leaves. */
    private void observe(String line) {
        JsonObject event = JsonTrees.object(line);
        JsonObject p = event.getJsonObject("object");
        String name = p.getJsonObject("metadata").getString("name");
        String nodeRef = p.getJsonObject("status").getString("nodeRef", null);
        synchronized (seenLock) {
            events++;
            if (event.getString("type").equals("DELETED")) {
                current.remove(name);
            } else {
                current.put(name, p);
            }
            if (nodeRef != null) {
                String first = firstBinding.putIfAbsent(name, nodeRef);
                if (first != null && !first.equals(nodeRef)) {
                    violations.add(name + " was bound to " + first + " and then to " + nodeRef);
                }
            }
            Map<String, Long> reserved = new HashMap<>();
            for (JsonObject q : current.values()) {
                String on = q.getJsonObject("status").getString("nodeRef", null);
                String phase = q.getJsonObject("status").getString("phase");
                if (on != null && (phase.equals("Scheduled") || phase.equals("Running") || phase.equals("Terminating"))) {
                    reserved.merge(on, milli(q.getJsonObject("spec").getJsonObject("resources").getJsonObject("requests")
                            .getString("cpu")), Long::sum);
                }
            }
            reserved.forEach((on, sum) -> {
                if (sum > ALLOCATABLE_MILLI) {
                    violations.add("node " + on + " over-committed: " + sum + "m of " + ALLOCATABLE_MILLI + "m after event " + events);
                }
            });
        }
    }

    private static long milli(String cpu) {
        return cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) : Long.parseLong(cpu) * 1000;
    }

    private int bound() {
        synchronized (seenLock) {
            return (int) current.values().stream().filter(p -> p.getJsonObject("status").containsKey("nodeRef")).count();
        }
    }

    private String snapshot() {
        synchronized (seenLock) {
            Map<String, String> at = new java.util.TreeMap<>();
            current.forEach((n, p) -> at.put(n, p.getJsonObject("status").getString("phase") + "@"
                    + p.getJsonObject("status").getString("nodeRef", "-")));
            return at + " violations " + violations;
        }
    }
}
