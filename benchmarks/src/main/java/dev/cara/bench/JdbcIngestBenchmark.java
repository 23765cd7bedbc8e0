package dev.cara.bench;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.store.jdbc.JdbcStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many heartbeats one replica ingests per second on PostgreSQL, against {@code pgbench}'s
 * simple-update TPS ({@code pgbench -N}) on the same server in the same run. The goal is a ratio of
 * at least 1.0: batching should make a heartbeat cheaper than the simplest OLTP transaction.
 *
 * <p>The replica is a {@link ControlPlane} that does not lead (the heartbeat path every replica but
 * the leader takes) on a {@link JdbcStore} with the default 100 ms flush window. Heartbeats go round
 * robin over the fleet. Heartbeats for one node within one window coalesce, so the ratio is taken on
 * node writes that reached the database (what a fleet heartbeating every 30 s, which never
 * coalesces, costs), and acknowledged heartbeats are printed beside it. The clock stops when the
 * final flush has written everything.
 *
 * <p>Arguments (all optional): {@code --host 127.0.0.1 --port 5432 --user postgres --nodes 20000
 * --seconds 15 --threads 2 --pgbench-clients 8 --pgbench-scale 5}. It creates two databases,
 * {@code cara_bench_*} and {@code cara_pgbench_*}, and drops them at the end.
 */
public final class JdbcIngestBenchmark {
    private JdbcIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String host = Bench.arg(args, "--host", "127.0.0.1");
        String port = Bench.arg(args, "--port", "5432");
        String user = Bench.arg(args, "--user", "postgres");
        int nodes = Integer.parseInt(Bench.arg(args, "--nodes", "20000"));
        int seconds = Integer.parseInt(Bench.arg(args, "--seconds", "15"));
        int threads = Integer.parseInt(Bench.arg(args, "--threads", "2"));
        int pgbenchClients = Integer.parseInt(Bench.arg(args, "--pgbench-clients", "8"));
        int pgbenchScale = Integer.parseInt(Bench.arg(args, "--pgbench-scale", "5"));

        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String caraDb = "cara_bench_" + suffix;
        String pgbenchDb = "cara_pgbench_" + suffix;
        String admin = "jdbc:postgresql://" + host + ":" + port + "/postgres?user=" + user;
        Bench.sql(admin, "CREATE DATABASE " + caraDb);
        Bench.sql(admin, "CREATE DATABASE " + pgbenchDb);
        try {
            System.out.printf("pgbench: initialising scale %d in %s%n", pgbenchScale, pgbenchDb);
            run(List.of("pgbench", "-h", host, "-p", port, "-U", user, "-i", "-q", "-s", Integer.toString(pgbenchScale), pgbenchDb));
            String out = run(List.of("pgbench", "-h", host, "-p", port, "-U", user, "-N", "-c", Integer.toString(pgbenchClients),
                    "-j", "2", "-T", Integer.toString(seconds), pgbenchDb));
            Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no tps in pgbench's output:\n" + out);
            }
            double pgbenchTps = Double.parseDouble(m.group(1));
            System.out.printf("pgbench -N -c %d -j 2 -T %d: %.0f tps%n", pgbenchClients, seconds, pgbenchTps);

            Result cara = ingest("jdbc:postgresql://" + host + ":" + port + "/" + caraDb + "?user=" + user,
                    nodes, seconds, threads);
            double acked = cara.heartbeats / cara.seconds;
            double written = cara.rowsWritten / cara.seconds;
            System.out.printf("cara: %d heartbeats acknowledged from %d threads to %d nodes in %.2f s (until the last was written): "
                    + "%.0f acknowledged/s; %d node writes after coalescing: %.0f written/s%n", cara.heartbeats, threads, nodes,
                    cara.seconds, acked, cara.rowsWritten, written);
            // The ratio uses writes, not acknowledgements: a fleet heartbeating every 30 s never coalesces.
            System.out.printf("ratio: heartbeats written/s / pgbench tps = %.2f (goal >= 1.0); acknowledged/s / pgbench tps = %.2f%n",
                    written / pgbenchTps, acked / pgbenchTps);
        } finally {
            Bench.sql(admin, "DROP DATABASE IF EXISTS " + caraDb);
            Bench.sql(admin, "DROP DATABASE IF EXISTS " + pgbenchDb);
        }
    }

    private record Result(long heartbeats, long rowsWritten, double seconds) {
    }

    private static Result ingest(String url, int nodes, int seconds, int threads) throws Exception {
        try (JdbcStore store = JdbcStore.builder(url).poolSize(Math.max(4, threads)).build();
             ControlPlane replica = ControlPlane.builder().store(store).manualTicks(true).build()) {
            // Not started: it never leads, so this is the heartbeat path of every replica but the leader.
            System.out.printf("cara: registering %d nodes%n", nodes);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    work.add(pool.submit(() -> {
                        for (int i = first; i < nodes; i += threads) {
                            replica.register(Node.builder("node-" + i).hostname("node-" + i + ".lan").build());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
                HeartbeatReport report = HeartbeatReport.claiming(NodeState.READY);
                // The write side alone: one acknowledged heartbeat per node, then one flush of them all.
                long acked = System.nanoTime();
                for (int i = 0; i < nodes; i++) {
                    replica.heartbeat("node-" + i, report);
                }
                long flushStart = System.nanoTime();
                store.flush();
                long flushed = System.nanoTime();
                System.out.printf("cara: %d heartbeats acknowledged in %.0f ms, then written in one flush in %.0f ms (%.0f rows/s)%n",
                        nodes, (flushStart - acked) / 1e6, (flushed - flushStart) / 1e6, nodes / ((flushed - flushStart) / 1e9));
                long revisionBefore;
                // Warm up (JIT, pool), then measure.
                runHeartbeats(pool, replica, report, nodes, threads, Duration.ofSeconds(3));
                store.flush();
                revisionBefore = store.revision();
                long start = System.nanoTime();
                long sent = runHeartbeats(pool, replica, report, nodes, threads, Duration.ofSeconds(seconds));
                store.flush(); // count only what is written
                double elapsed = (System.nanoTime() - start) / 1e9;
                long rows = store.revision() - revisionBefore;
                return new Result(sent, rows, elapsed);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static long runHeartbeats(ExecutorService pool, ControlPlane replica, HeartbeatReport report, int nodes,
                                      int threads, Duration duration) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder sent = new LongAdder();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            work.add(pool.submit(() -> {
                int i = first;
                while (!stop.get()) {
                    replica.heartbeat("node-" + i, report);
                    sent.increment();
                    i += threads;
                    if (i >= nodes) {
                        i = first;
                    }
                }
                return null;
            }));
        }
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.sleep(50); // the benchmark's own wall-clock timer, not a test waiting for a condition
        }
        stop.set(true);
        for (Future<?> f : work) {
            f.get();
        }
        return sent.sum();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out.toString();
    }


}
