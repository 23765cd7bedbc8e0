package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Fence;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child of {@link MapDbCrashIT}: opens the store and writes until it is killed. Before each spec
 * write it prints {@code TRY <op> <name>}, and once the store acknowledged it,
 * {@code ACK <op> <name> <resourceVersion> <zone label>}. Heartbeats run in between, so the committer
 * is busy too when the kill lands. Some registrations come in bursts from several threads at once, so
 * that they share commits (group commit) and several writes are in flight when the kill lands. Arguments: the store file, a random seed, a prefix for new names.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        String prefix = args[2];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        // The committer flushes heartbeats every 10 ms here, so that kills often land in a flush.
        MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(java.time.Duration.ofMillis(10)).open();
        List<String> names = new ArrayList<>(store.list().nodes().stream().map(Node::name).toList());
        out.println("READY " + names.size());
        out.flush();
        for (int seq = 0; ; seq++) {
            int op = random.nextInt(10);
            if (op == 3) {
                // Concurrent registrations, so that kills land in group commits of several writes. The
                // ACKs are printed after all returned, in resourceVersion order (the test checks that
                // new nodes' versions grow); that only delays what the test learns, never overstates it.
                List<String> burst = new ArrayList<>();
                List<String> zones = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    burst.add(prefix + "-" + seq + "-" + i);
                    zones.add("z" + random.nextInt(1000));
                    out.println("TRY CREATE " + burst.get(i));
                }
                out.flush();
                List<Node> stored = concurrently(burst.size(), i -> store.create(Node.builder(burst.get(i))
                        .hostname(burst.get(i) + ".lan").label("zone", zones.get(i)).build()));
                stored.sort(java.util.Comparator.comparingLong(n -> Long.parseLong(n.metadata().resourceVersion())));
                for (Node n : stored) {
                    names.add(n.name());
                    ack(out, "CREATE", n);
                }
            } else if (names.isEmpty() || op < 4) {
                String name = prefix + "-" + seq;
                String zone = "z" + random.nextInt(1000);
                out.println("TRY CREATE " + name);
                out.flush();
                Node stored = store.create(Node.builder(name).hostname(name + ".lan").label("zone", zone).build());
                names.add(name);
                ack(out, "CREATE", stored);
            } else if (op < 7) {
                String name = names.get(random.nextInt(names.size()));
                String zone = "z" + random.nextInt(1000);
                out.println("TRY UPDATE " + name);
                out.flush();
                Node stored = store.update(name, null, n -> n.withMetadata(n.metadata().withLabels(
                        java.util.Map.of("zone", zone))));
                ack(out, "UPDATE", stored);
            } else if (op < 8) {
                String name = names.remove(random.nextInt(names.size()));
                out.println("TRY DELETE " + name);
                out.flush();
                Node gone = store.delete(name, null);
                ack(out, "DELETE", gone);
            } else {
                for (int i = 0; i < 20; i++) {
                    String name = names.get(random.nextInt(names.size()));
                    store.updateStatus(name, n -> beat(n.status()), Fence.NONE);
                }
            }
        }
    }

    private static final int BURST = 8;

    // Runs write(0..count-1) on count threads at once and returns the results.
    private static List<Node> concurrently(int count, java.util.function.IntFunction<Node> write) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            List<java.util.concurrent.Future<Node>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> write.apply(index)));
            }
            List<Node> results = new ArrayList<>();
            for (java.util.concurrent.Future<Node> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException("a concurrent registration failed", e);
        } finally {
            pool.shutdown();
        }
    }

    private static void ack(PrintStream out, String op, Node node) {
        out.println("ACK " + op + " " + node.name() + " " + node.metadata().resourceVersion() + " "
                + node.metadata().labels().get("zone"));
        out.flush();
    }

    private static NodeStatus beat(NodeStatus s) {
        return s.withLastHeartbeat(Instant.now());
    }
}
