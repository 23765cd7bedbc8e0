package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 at random moments: a child JVM ({@link CrashChild}) writes to the store and prints each
 * acknowledgement; the test kills it after a random number of them, reopens the file, and checks that
 * every acknowledged registration, label change and delete is there, with its resourceVersion, and that
 * resourceVersions keep growing from one life of the file to the next.
 */
class MapDbCrashIT {
    private static final int KILLS = 21;

    @TempDir
    Path dir;

    /** What the file must hold for one name: absent (deleted), or present with this zone and version. */
    private record Expected(boolean present, String zone, String resourceVersion) {
        static final Expected ABSENT = new Expected(false, null, null);

        static Expected of(Optional<Node> node) {
            return node.map(n -> new Expected(true, n.metadata().labels().get("zone"), n.metadata().resourceVersion()))
                    .orElse(ABSENT);
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path file = dir.resolve("cara.db");
        Random random = new Random(20261125L);
        Map<String, Expected> model = new HashMap<>();
        long highestVersion = 0;
        int acknowledged = 0;
        for (int round = 0; round < KILLS; round++) {
            int killAfter = 1 + random.nextInt(60);
            String inFlight = null;
            try (ChildJvm child = ChildJvm.start(dir, CrashChild.class, file.toString(),
                    Long.toString(random.nextLong()), "r" + round)) {
                child.await("READY");
                int acks = 0;
                boolean killed = false;
                for (String line = child.readLine(); line != null; line = child.readLine()) {
                    String[] f = line.split(" ");
                    if (f[0].equals("TRY")) {
                        inFlight = f[2];
                        continue;
                    }
                    if (!f[0].equals("ACK")) {
                        continue;
                    }
                    String name = f[2];
                    long version = Long.parseLong(f[3]);
                    switch (f[1]) {
                        case "CREATE" -> {
                            assertTrue(version > highestVersion, "resourceVersion " + version + " of new node " + name
                                    + " must be above every earlier one (" + highestVersion + ")");
                            model.put(name, new Expected(true, f[4], f[3]));
                        }
                        case "UPDATE" -> model.put(name, new Expected(true, f[4], f[3]));
                        case "DELETE" -> model.put(name, Expected.ABSENT);
                        default -> fail("unexpected line from the child: " + line);
                    }
                    highestVersion = Math.max(highestVersion, version);
                    inFlight = null;
                    acknowledged++;
                    if (++acks == killAfter && !killed) {
                        child.kill(); // SIGKILL; the lines already in the pipe are still read below
                        killed = true;
                    }
                }
                if (!killed) {
                    fail("the child stopped by itself; its stderr:\n" + child.stderr());
                }
            }
            // Reopening must work every time, and show every acknowledged write.
            try (MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO)
                    .shutdownHook(false).open()) {
                for (Map.Entry<String, Expected> e : model.entrySet()) {
                    Expected found = Expected.of(store.get(e.getKey()));
                    if (!e.getKey().equals(inFlight)) {
                        assertEquals(e.getValue(), found, "round " + round + ": node " + e.getKey());
                    }
                }
                for (Node n : store.list().nodes()) {
                    if (!model.containsKey(n.name()) && !n.name().equals(inFlight)) {
                        fail("round " + round + ": node " + n.name() + " was never acknowledged");
                    }
                }
                if (inFlight != null) {
                    // The write in flight at the kill may or may not have landed; either is fine.
                    model.put(inFlight, Expected.of(store.get(inFlight)));
                }
                assertTrue(store.revision() >= highestVersion, "the revision went back to " + store.revision()
                        + " after acknowledging resourceVersion " + highestVersion);
            }
        }
        assertTrue(acknowledged >= KILLS, "only " + acknowledged + " writes were acknowledged");
    }
}
