package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetEventsTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private void history() {
        h.controlPlane.register(Node.builder("web-1").build());
        h.controlPlane.register(Node.builder("web-2").build());
        h.controlPlane.heartbeat("web-1", HeartbeatReport.claiming(NodeState.READY));
        h.clock.advance(Duration.ofSeconds(91));
        h.controlPlane.tick();
        h.clock.advance(Duration.ofSeconds(30));
    }

    @Test
    void aTableOfEveryEventNewestLastLikeKubectl() {
        history();
        Harness.Result r = h.run("get", "events");
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                LAST SEEN   TYPE      REASON       OBJECT       COUNT   MESSAGE
                2m          Normal    Registered   node/web-1   1       node registered, NotReady until its first heartbeat
                2m          Normal    Registered   node/web-2   1       node registered, NotReady until its first heartbeat
                2m          Normal    Ready        node/web-1   1       node is Ready
                30s         Warning   NotReady     node/web-1   1       node is NotReady: no heartbeat within the heartbeat timeout (HeartbeatTimeout)
                """, r.out());
    }

    @Test
    void forOneNodeAndAsJson() {
        history();
        Harness.Result r = h.run("get", "events", "--for", "node/web-2", "-o", "json");
        assertEquals(0, r.code(), r::toString);
        var list = CaraJson.parseEventList(r.out());
        assertEquals(1, list.items().size());
        assertEquals("Registered", list.items().get(0).reason());
        assertTrue(h.run("get", "events", "--for", "node/web-2", "-o", "yaml").out().contains("reason: Registered"));
    }

    @Test
    void aBadForIsAUsageErrorNamingTheForm() {
        Harness.Result r = h.run("get", "events", "--for", "web-1");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("KIND/NAME with KIND one of node, project"), r.err());
    }
}
