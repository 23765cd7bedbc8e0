package dev.cara.bench;

import dev.cara.sdk.Node;
import dev.cara.store.jdbc.JdbcStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Spec-write latency on the JDBC store while it compacts a change feed of 100,000 rows, against the
 * same writes on the same history when nothing is compacted, in the same run.
 *
 * <p>Each phase has its own scratch database: the store migrates it, the benchmark fills
 * {@code cara_change} with {@code --changes} rows shaped like real ones (JSON copied from a real
 * node row), then opens the measured store. Its background thread compacts 10 s after it opens,
 * keeping {@code --keep} changes in the compacting phase and everything in the baseline phase.
 * Writer threads update labels of their own nodes back to back ({@code update}, which takes the
 * revision lock in its transaction, as every write does) from 8 s after opening until the oldest
 * change left is above the cut-off (the compaction is done), plus 1 s; the baseline phase writes
 * for as long. Only the store's public API is used, so the same program measures any version.
 *
 * <p>Arguments (all optional): {@code --db postgresql|mariadb --changes 100000 --keep 1000
 * --writers 2}. Databases are on 127.0.0.1 ({@code postgres} / {@code root}, no password) and are
 * dropped at the end.
 */
public final class JdbcCompactionBenchmark {
    private static final long OPEN_TO_FIRST_COMPACTION_MS = 10_000;
    private static final long MEASURE_FROM_MS = 8_000;

    private JdbcCompactionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String db = Bench.arg(args, "--db", "postgresql");
        int changes = Integer.parseInt(Bench.arg(args, "--changes", "100000"));
        int keep = Integer.parseInt(Bench.arg(args, "--keep", "1000"));
        int writers = Integer.parseInt(Bench.arg(args, "--writers", "2"));
        Scratch compacting = Scratch.create(db);
        Scratch baseline = Scratch.create(db);
        try {
            Phase during = measure("compacting", compacting, changes, keep, writers, -1);
            Phase quiet = measure("baseline", baseline, changes, changes * 10, writers, during.windowMillis);
            System.out.printf("%s, %,d change rows, %d writers%n", db, changes, writers);
            quiet.print();
            during.print();
            System.out.printf("ratio compacting/baseline: p50 %.2f, p99 %.2f, max %.2f%n",
                    during.p50 / quiet.p50, during.p99 / quiet.p99, during.max / quiet.max);
        } finally {
            compacting.drop();
            baseline.drop();
        }
    }

    /** One phase: fill, open, write through the compaction (or as long as {@code windowMillis}). */
    private static Phase measure(String label, Scratch scratch, int changes, int keep, int writers, long windowMillis)
            throws Exception {
        try (JdbcStore setup = JdbcStore.builder(scratch.url).build()) {
            for (int w = 0; w < writers; w++) {
                setup.create(Node.builder("writer-" + w).hostname("writer-" + w + ".lan").build());
            }
        }
        fill(scratch.url, changes);
        long cutoff = changes - keep; // the compaction deletes every revision up to about here
        try (JdbcStore store = JdbcStore.builder(scratch.url).changeHistory(keep).build()) {
            long opened = System.nanoTime();
            AtomicBoolean stop = new AtomicBoolean();
            List<long[]> samples = new ArrayList<>(); // {start offset ns, latency ns}
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<List<long[]>>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String name = "writer-" + w;
                work.add(pool.submit(() -> {
                    List<long[]> mine = new ArrayList<>();
                    int i = 0;
                    while (!stop.get()) {
                        String value = Integer.toString(i++);
                        long t0 = System.nanoTime();
                        store.update(name, null, n -> n.withMetadata(n.metadata().withLabels(Map.of("i", value))));
                        long t1 = System.nanoTime();
                        mine.add(new long[] {t0 - opened, t1 - t0});
                    }
                    return mine;
                }));
            }
            long measureFrom = MEASURE_FROM_MS * 1_000_000;
            long measureTo;
            if (windowMillis < 0) {
                long deadline = opened + 120_000_000_000L;
                while (oldestChange(scratch.url) <= cutoff) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("no compaction within 120 s of opening");
                    }
                    Thread.sleep(5); // polling the database for the end of the compaction, not waiting for time
                }
                measureTo = System.nanoTime() - opened + 1_000_000_000L;
            } else {
                measureTo = measureFrom + windowMillis * 1_000_000;
            }
            while (System.nanoTime() - opened < measureTo) {
                Thread.sleep(5); // the benchmark's own timer
            }
            stop.set(true);
            for (Future<List<long[]>> f : work) {
                samples.addAll(f.get());
            }
            pool.shutdown();
            long[] latencies = samples.stream().filter(s -> s[0] >= measureFrom && s[0] < measureTo)
                    .mapToLong(s -> s[1]).sorted().toArray();
            return new Phase(label, latencies, (measureTo - measureFrom) / 1_000_000);
        }
    }

    private record Phase(String label, long[] sorted, long windowMillis, double p50, double p99, double max) {
        Phase(String label, long[] sorted, long windowMillis) {
            this(label, sorted, windowMillis, quantile(sorted, 0.50), quantile(sorted, 0.99),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
        }

        void print() {
            System.out.printf("%-10s %6d writes in %5d ms: p50 %7.2f ms, p99 %8.2f ms, max %8.2f ms%n",
                    label, sorted.length, windowMillis, p50, p99, max);
        }
    }

    private static double quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** Inserts {@code changes} feed rows, revisions 1..changes, with the JSON of a real row, and moves the counter past them. */
    private static void fill(String url, int changes) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            String meta;
            String status;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT meta_json, status_json FROM cara_node ORDER BY name LIMIT 1")) {
                rs.next();
                meta = rs.getString(1);
                status = rs.getString(2);
            }
            long top;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT revision FROM cara_revision WHERE id = 1")) {
                rs.next();
                top = rs.getLong(1);
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM cara_change");
            }
            int chunk = 500;
            for (int from = 1; from <= changes; from += chunk) {
                int rows = Math.min(chunk, changes - from + 1);
                String values = String.join(", ", java.util.Collections.nCopies(rows, "(?, ?, 2, ?, ?, ?)"));
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO cara_change (revision, name, change_type, "
                        + "resource_version, meta_json, status_json) VALUES " + values)) {
                    int p = 1;
                    for (int i = 0; i < rows; i++) {
                        long rev = top + from + i;
                        ps.setLong(p++, rev);
                        ps.setString(p++, "filler-" + (rev % 1000));
                        ps.setLong(p++, rev);
                        ps.setString(p++, meta);
                        ps.setString(p++, status);
                    }
                    ps.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE cara_revision SET revision = " + (changes + top) + " WHERE id = 1");
            }
            c.commit();
        }
    }

    private static long oldestChange(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MIN(revision) FROM cara_change")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A scratch database on 127.0.0.1, dropped at the end. */
    private record Scratch(String admin, String name, String url) {
        static Scratch create(String db) throws SQLException {
            String name = "cara_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            Scratch s = switch (db) {
                case "postgresql" -> new Scratch("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", name,
                        "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres");
                case "mariadb" -> new Scratch("jdbc:mariadb://127.0.0.1:3306/?user=root", name,
                        "jdbc:mariadb://127.0.0.1:3306/" + name + "?user=root");
                default -> throw new IllegalArgumentException("--db must be postgresql or mariadb, was " + db);
            };
            Bench.sql(s.admin, "CREATE DATABASE " + name);
            return s;
        }

        void drop() throws SQLException {
            Bench.sql(admin, "DROP DATABASE IF EXISTS " + name);
        }
    }


}
