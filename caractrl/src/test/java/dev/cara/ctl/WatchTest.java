package dev.cara.ctl;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void watchPrintsTheCurrentNodesThenEachChangeInAlignedColumns() throws Exception {
        h.controlPlane.register(Node.builder("w1").build());
        h.controlPlane.register(Node.builder("a-much-longer-node-name").build());
        h.advance(Duration.ofSeconds(30));

        Harness.Running r = h.start("get", "nodes", "-w");
        Eventually.until(DEADLINE, () -> r.out().toString().lines().count() == 3, () -> r.out().toString());

        h.controlPlane.setUnschedulable("w1", true);
        h.controlPlane.pumpWatches();
        Eventually.until(DEADLINE, () -> r.out().toString().lines().count() == 4, () -> r.out().toString());

        h.controlPlane.close(); // the server goes away: the watch ends
        int code = r.code().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(3, code, r.err()::toString);
        List<String> lines = r.out().toString().lines().toList();
        assertEquals(List.of(
                "NAME                      STATE      CONDITIONS         AGE",
                "a-much-longer-node-name   NotReady   Healthy            30s",
                "w1                        NotReady   Healthy            30s",
                "w1                        Draining   Unschedulable      30s"), lines);
        assertTrue(r.err().toString().startsWith("Error: the watch on http://localhost:8080 ended"), r.err().toString());
    }

    @Test
    void watchOfNamedNodesInJsonPrintsOneObjectALine() throws Exception {
        h.controlPlane.register(Node.builder("w1").build());
        h.controlPlane.register(Node.builder("w2").build());
        Harness.Running r = h.start("get", "nodes", "w2", "-w", "-o", "json");
        Eventually.until(DEADLINE, () -> r.out().toString().lines().count() == 1, () -> r.out().toString());
        h.controlPlane.setUnschedulable("w1", true);
        h.controlPlane.setUnschedulable("w2", true);
        h.controlPlane.pumpWatches();
        Eventually.until(DEADLINE, () -> r.out().toString().lines().count() == 2, () -> r.out().toString());
        h.controlPlane.close();
        r.code().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        List<String> lines = r.out().toString().lines().toList();
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"w2\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"state\":\"Draining\""), lines.get(1));
    }
}
