package dev.cara.store.mapdb;

import dev.cara.sdk.Project;
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
 * kill -9 while a child JVM ({@link ProjectCrashChild}) writes projects: every acknowledged create,
 * binding (a status write) and delete is in the file when it is reopened, as the ProjectStore SPI asks.
 */
class MapDbProjectCrashIT {
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedProjectWriteSurvivesKillDashNine() throws Exception {
        Path file = dir.resolve("cara.db");
        Random random = new Random(20261203L);
        Map<String, String> model = new HashMap<>(); // name -> nodeRef, or "-" when deleted
        long revision = 0;
        for (int round = 0; round < KILLS; round++) {
            int killAfter = 1 + random.nextInt(40);
            String inFlight = null;
            try (ChildJvm child = ChildJvm.start(dir, ProjectCrashChild.class, file.toString(), "r" + round)) {
                child.await("READY");
                int acks = 0;
                boolean killed = false;
                for (String line = child.readLine(); line != null; line = child.readLine()) {
                    String[] f = line.split(" ");
                    if (f[0].equals("TRY")) {
                        inFlight = f[1];
                    } else if (f[0].equals("ACK")) {
                        model.put(f[1], f[2]);
                        inFlight = null;
                        if (++acks == killAfter && !killed) {
                            child.kill();
                            killed = true;
                        }
                    }
                }
                if (!killed) {
                    fail("the child stopped by itself; its stderr:\n" + child.stderr());
                }
            }
            try (MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false).open()) {
                for (Map.Entry<String, String> e : model.entrySet()) {
                    assertEquals(e.getValue(), seen(store, e.getKey()), "round " + round + ": project " + e.getKey());
                }
                for (Project p : store.projects().list().projects()) {
                    assertTrue(model.containsKey(p.name()) || p.name().equals(inFlight),
                            "round " + round + ": project " + p.name() + " was never tried");
                }
                assertTrue(store.projects().revision() >= revision, "the project revision went back");
                revision = store.projects().revision();
                if (inFlight != null) {
                    // Its create, binding or delete may or may not have landed; any of them is fine.
                    model.put(inFlight, seen(store, inFlight));
                }
            }
        }
        assertTrue(model.size() >= KILLS, "only " + model.size() + " projects were acknowledged");
    }

    // What the file holds for a name, as the child acknowledges it: the nodeRef, "unbound", or "-" for absent.
    private static String seen(MapDbStore store, String name) {
        Optional<Project> found = store.projects().get(name);
        return found.map(p -> p.status().nodeRef() == null ? "unbound" : p.status().nodeRef()).orElse("-");
    }
}
