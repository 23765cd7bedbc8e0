package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The heartbeat body memo: a repeated body gives the report a fresh read gives, without reading it again. */
class HeartbeatBodiesTest {
    private static final String BODY = "{\"state\":\"Ready\",\"network\":{\"ip\":\"10.0.0.1\",\"agentPort\":9090},"
            + "\"capacity\":{\"cpu\":\"4\",\"memory\":\"8Gi\"},\"allocatable\":{\"cpu\":\"3800m\",\"memory\":\"7Gi\"}}";

    private final FakeTime time = new FakeTime();
    private final ControlPlane cp = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time).build();
    private final HeartbeatBodies bodies = new HeartbeatBodies();

    @AfterEach
    void close() {
        cp.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Node beat(String name, byte[] body) {
        HeartbeatBodies.Read read = bodies.read(name, body);
        Node stored = cp.heartbeat(name, read.report());
        bodies.applied(read, stored);
        return stored;
    }

    @Test
    void theSameBodyAgainGivesTheRememberedReportSharingWhatTheNodeHolds() {
        cp.register(Node.builder("n1").build());
        Node first = beat("n1", utf8(BODY));
        HeartbeatBodies.Read again = bodies.read("n1", utf8(BODY)); // equal bytes, another array
        assertEquals(CaraJson.parseHeartbeat(utf8(BODY)), again.report(), "what a fresh read gives");
        assertSame(first.status().capacity(), again.report().capacity());
        assertSame(first.status().allocatable(), again.report().allocatable());
        assertSame(first.status().network(), again.report().network());
        assertSame(again, bodies.read("n1", utf8(BODY)), "no second entry, no second read");

        Node second = beat("n1", utf8(BODY));
        assertSame(first.status().capacity(), second.status().capacity());
        assertSame(first.status().network(), second.status().network());
        assertEquals(1, bodies.size());
    }

    @Test
    void aRememberedReportSharesTheTextsOfTheNodesConditions() {
        cp.register(Node.builder("n1").build());
        String body = "{\"conditions\":[{\"type\":\"MemoryPressure\",\"status\":\"False\",\"reason\":\"SufficientMemory\","
                + "\"message\":\"3.1Gi of 8.0Gi memory available\"}]}";
        Node stored = beat("n1", utf8(body));
        HeartbeatBodies.Read again = bodies.read("n1", utf8(body));
        assertEquals(CaraJson.parseHeartbeat(utf8(body)), again.report());
        Condition held = stored.status().condition("MemoryPressure").orElseThrow();
        assertSame(held.message(), again.report().conditions().get(0).message());
        assertSame(held.reason(), again.report().conditions().get(0).reason());
    }

    @Test
    void anotherBodyIsReadAfreshAndReplacesTheEntry() {
        cp.register(Node.builder("n1").build());
        beat("n1", utf8(BODY));
        String changed = BODY.replace("\"8Gi\"", "\"16Gi\"");
        HeartbeatBodies.Read read = bodies.read("n1", utf8(changed));
        assertEquals(CaraJson.parseHeartbeat(utf8(changed)), read.report());
        Node stored = cp.heartbeat("n1", read.report());
        bodies.applied(read, stored);
        assertEquals("16Gi", stored.status().capacity().amounts().get("memory").toString());
        assertSame(stored.status().capacity(), bodies.read("n1", utf8(changed)).report().capacity());
        assertNotSame(read, bodies.read("n1", utf8(BODY)), "the old body is no longer the node's last");
    }

    @Test
    void aBodyIsRememberedPerNodeOnlyOnceAppliedAndForgottenWithItsNode() {
        assertThrows(InvalidException.class, () -> bodies.read("n1", utf8("{\"state\":")));
        bodies.read("ghost", utf8(BODY)); // read, never applied (the node does not exist): not kept
        assertEquals(0, bodies.size());
        cp.register(Node.builder("n1").build());
        cp.register(Node.builder("n2").build());
        beat("n1", utf8(BODY));
        beat("n2", utf8(BODY));
        assertEquals(2, bodies.size());
        bodies.forget("n1");
        assertEquals(1, bodies.size());
    }
}
