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
 * is busy too when the kill lands. Arguments: the store file, a random seed, a prefix for new names.
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
            if (names.isEmpty() || op < 4) {
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

    private static void ack(PrintStream out, String op, Node node) {
        out.println("ACK " + op + " " + node.name() + " " + node.metadata().resourceVersion() + " "
                + node.metadata().labels().get("zone"));
        out.flush();
    }

    private static NodeStatus beat(NodeStatus s) {
        return new NodeStatus(s.state(), s.network(), s.capacity(), s.allocatable(), s.info(), Instant.now(),
                s.conditions(), s.claim());
    }
}
