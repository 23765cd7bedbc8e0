package dev.cara.bench;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.store.jdbc.JdbcStore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A partition: 10,000 nodes on PostgreSQL stop heartbeating at once. How long until every one is
 * NotReady, and how late a watch event for an unrelated change made meanwhile arrives. Goal: all
 * NotReady within the heartbeat timeout + 2 s, watch events delayed by under 1 s.
 *
 * <p>Two parts, each run twice in the same run: <em>one-by-one</em> (the store's
 * {@code updateStatuses} hidden behind a wrapper, so the SDK's default writes node by node) and
 * <em>batched</em> (the JDBC store's own {@code updateStatuses}: one transaction).
 * <ol>
 * <li><b>Store</b>: the leader's expiry write by itself, {@code updateStatuses} of every node to
 * NotReady under the leader's fence, timed, with an unrelated spec write made while it runs and the
 * time that write waited.
 * <li><b>Control plane</b>: a real leading {@link ControlPlane} on the store (heartbeat timeout
 * {@code --timeout}, real clock), a second, non-leading replica that takes the fleet's one heartbeat
 * each (as agents spread over replicas would), then silence. Measured from the moment the last
 * heartbeat was acknowledged: until a watch on everything has seen every node NotReady, and the
 * delay of watch events for an unrelated node relabelled every 200 ms meanwhile. A control plane
 * that expires through {@code updateStatuses} uses the batch; today's, which writes each expired
 * node in its own transaction, shows the same figure in both modes.
 * </ol>
 *
 * <p>Arguments (all optional): {@code --nodes 10000 --timeout 30s --part both|store|control-plane}.
 * Scratch databases {@code cara_bench_*} on 127.0.0.1:5432 (user postgres), dropped at the end.
 */
public final class JdbcExpiryBenchmark {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private JdbcExpiryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(Bench.arg(args, "--nodes", "10000"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(Bench.arg(args, "--timeout", "30s").replace("s", "")));
        String part = Bench.arg(args, "--part", "both");
        List<String> lines = new ArrayList<>();
        for (boolean batched : new boolean[] {false, true}) {
            String mode = batched ? "batched   " : "one-by-one";
            if (!part.equals("control-plane")) {
                lines.add(mode + " store: " + withScratch(url -> storeExpiry(url, nodes, batched)));
            }
            if (!part.equals("store")) {
                lines.add(mode + " control plane: " + withScratch(url -> controlPlaneExpiry(url, nodes, timeout, batched)));
            }
        }
        System.out.printf("%n%,d nodes, heartbeat timeout %ds, PostgreSQL%n", nodes, timeout.toSeconds());
        lines.forEach(System.out::println);
    }

    /** The expiry write alone: every node to NotReady in one updateStatuses call, under the leader's fence. */
    private static String storeExpiry(String url, int nodes, boolean batched) throws Exception {
        try (JdbcStore jdbc = JdbcStore.builder(url).poolSize(8).build()) {
            NodeStore store = batched ? jdbc : oneByOne(jdbc);
            // Ready, so that NotReady is a state transition: the leader writes it now, fenced, not batched.
            register(nodes, n -> store.create(n.withStatus(n.status().withState(NodeState.READY))));
            store.create(Node.builder("probe").build());
            store.leaderElection().start((leading, fence) -> { });
            while (!store.leaderElection().isLeader()) {
                Thread.sleep(10); // waiting for the benchmark's own lease, not for time
            }
            Fence fence = store.leaderElection().fence();
            Map<String, Function<Node, NodeStatus>> expiry = new LinkedHashMap<>();
            for (int i = 0; i < nodes; i++) {
                expiry.put("node-" + i, n -> n.status().withState(NodeState.NOT_READY));
            }
            ExecutorService side = Executors.newSingleThreadExecutor();
            try {
                long start = System.nanoTime();
                Future<Map<String, Node>> write = side.submit(() -> store.updateStatuses(expiry, fence));
                // An unrelated spec write while the expiry runs: how long it waits behind it.
                long probeMax = 0;
                int probes = 0;
                while (!write.isDone()) {
                    int k = probes++;
                    long t0 = System.nanoTime();
                    store.update("probe", null, n -> n.withMetadata(n.metadata().withLabels(Map.of("mark", Integer.toString(k)))));
                    probeMax = Math.max(probeMax, System.nanoTime() - t0);
                    Thread.sleep(20); // the benchmark's pacing of its probe writes
                }
                int written = write.get().size();
                double seconds = (System.nanoTime() - start) / 1e9;
                return String.format("%,d nodes NotReady in %.2f s (%,.0f/s); %d spec writes meanwhile, the slowest took %.0f ms",
                        written, seconds, written / seconds, probes, probeMax / 1e6);
            } finally {
                side.shutdownNow();
            }
        }
    }

    private static String controlPlaneExpiry(String url, int nodes, Duration timeout, boolean batched) throws Exception {
        try (JdbcStore leaderJdbc = JdbcStore.builder(url).poolSize(8).build();
             JdbcStore followerJdbc = JdbcStore.builder(url).poolSize(8).build()) {
            NodeStore leaderStore = batched ? leaderJdbc : oneByOne(leaderJdbc);
            try (ControlPlane leader = ControlPlane.builder().store(leaderStore).heartbeatTimeout(timeout).build().start();
                 ControlPlane follower = ControlPlane.builder().store(followerJdbc).heartbeatTimeout(timeout)
                         .manualTicks(true).build()) {
                while (!leader.isLeader()) {
                    Thread.sleep(10); // waiting for the lease
                }
                register(nodes, follower::register);
                follower.register(Node.builder("probe").label("role", "probe").build());
                Set<String> notReady = ConcurrentHashMap.newKeySet();
                Set<String> ready = ConcurrentHashMap.newKeySet();
                long[] allNotReadyAt = {0};
                long[] allReadyAt = {0};
                List<long[]> probeEvents = Collections.synchronizedList(new ArrayList<>()); // {mark, arrival}
                try (Watch all = leader.watch(LabelSelector.everything(), e -> {
                        if (e.type() != WatchEvent.Type.MODIFIED || !e.object().name().startsWith("node-")) {
                            return;
                        }
                        if (e.object().state() == NodeState.READY && ready.add(e.object().name()) && ready.size() == nodes) {
                            allReadyAt[0] = System.nanoTime();
                        }
                        if (expired(e.object()) && notReady.add(e.object().name()) && notReady.size() == nodes) {
                            allNotReadyAt[0] = System.nanoTime();
                        }
                    }, reason -> System.out.println("the watch on everything closed: " + reason));
                     Watch probe = leader.watch(LabelSelector.matching(Map.of("role", "probe")), e -> {
                         String mark = e.object().metadata().labels().get("mark");
                         if (mark != null) {
                             probeEvents.add(new long[] {Long.parseLong(mark), System.nanoTime()});
                         }
                     }, reason -> System.out.println("the probe watch closed: " + reason))) {
                    HeartbeatReport claimReady = HeartbeatReport.claiming(NodeState.READY);
                    register(nodes, n -> follower.heartbeat(n.name(), claimReady));
                    followerJdbc.flush();
                    long silentFrom = System.nanoTime();
                    long deadline = silentFrom + timeout.toNanos() * 3 + 120_000_000_000L;
                    Map<Long, Long> written = new LinkedHashMap<>();
                    long mark = 0;
                    while (allNotReadyAt[0] == 0 && System.nanoTime() - deadline < 0) {
                        long m = mark++;
                        follower.update(follower.get("probe").withMetadata(
                                follower.get("probe").metadata().withLabels(Map.of("role", "probe", "mark", Long.toString(m)))));
                        written.put(m, System.nanoTime());
                        Thread.sleep(200); // the benchmark's pacing of its probe writes
                    }
                    if (allNotReadyAt[0] == 0) {
                        return "not all NotReady within " + (deadline - silentFrom) / 1_000_000_000L + " s: " + notReady.size();
                    }
                    long expiryFrom = silentFrom + timeout.toNanos();
                    long maxDelay = 0;
                    int during = 0;
                    synchronized (probeEvents) {
                        for (long[] ev : probeEvents) {
                            Long sent = written.get(ev[0]);
                            if (sent != null && sent >= expiryFrom - 1_000_000_000L) {
                                maxDelay = Math.max(maxDelay, ev[1] - sent);
                                during++;
                            }
                        }
                    }
                    double allIn = (allNotReadyAt[0] - silentFrom) / 1e9;
                    String readyIn = allReadyAt[0] == 0 ? "never all Ready (some expired first)"
                            : String.format("all Ready %.2f s after the last heartbeat", (allReadyAt[0] - silentFrom) / 1e9);
                    return readyIn + String.format("; all %,d NotReady %.2f s after the last heartbeat (timeout %d s: %+.2f s, goal <= +2 s); "
                                    + "%d probe watch events around the expiry, the latest %.0f ms after its write (goal < 1000 ms)",
                            nodes, allIn, timeout.toSeconds(), allIn - timeout.toSeconds(), during, maxDelay / 1e6);
                }
            }
        }
    }

    /** NotReady because its heartbeats stopped, not the NotReady of a node never heard from. */
    private static boolean expired(Node n) {
        return n.state() == NodeState.NOT_READY && n.status().conditions().stream()
                .anyMatch(c -> c.type().equals(Condition.NO_HEARTBEAT) && c.status() == ConditionStatus.TRUE);
    }

    @FunctionalInterface
    private interface PerNode {
        void accept(Node node) throws Exception;
    }

    /** Calls {@code action} for node-0 .. node-(n-1) from four threads. */
    private static void register(int nodes, PerNode action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                work.add(pool.submit(() -> {
                    for (int i = first; i < nodes; i += 4) {
                        action.accept(Node.builder("node-" + i).hostname("node-" + i + ".lan").build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Part {
        String run(String url) throws Exception;
    }

    private static String withScratch(Part part) throws Exception {
        String name = "cara_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Bench.sql(ADMIN, "CREATE DATABASE " + name);
        try {
            return part.run("jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres");
        } finally {
            Bench.sql(ADMIN, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }



    /**
     * The store with {@code updateStatuses} left to the SPI's default, which writes node by node;
     * every other call goes to the store itself.
     */
    private static NodeStore oneByOne(NodeStore store) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("updateStatuses")) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (NodeStore) Proxy.newProxyInstance(NodeStore.class.getClassLoader(), new Class<?>[] {NodeStore.class}, handler);
    }
}
