package dev.cara.ctl;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CordonDeleteTest {
    private final Harness h = new Harness(node -> node.name().equals("busy")
            ? Optional.of("2 projects are assigned to node \"busy\"") : Optional.empty());

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void cordonDrainsAndUncordonUndrainsSayingWhenNothingChanged() {
        h.controlPlane.register(Node.builder("w1").label("env", "prod").build());
        Harness.Result cordon = h.run("cordon", "w1");
        assertEquals(0, cordon.code(), cordon::toString);
        assertEquals("node/w1 cordoned\n", cordon.out());
        Node drained = h.controlPlane.get("w1");
        assertTrue(drained.spec().unschedulable());
        assertEquals(NodeState.DRAINING, drained.state());
        assertEquals("prod", drained.metadata().labels().get("env"), "labels are kept");

        assertEquals("node/w1 already cordoned\n", h.run("cordon", "w1").out());
        assertEquals("node/w1 uncordoned\n", h.run("uncordon", "w1").out());
        assertFalse(h.controlPlane.get("w1").spec().unschedulable());
        assertEquals("node/w1 already uncordoned\n", h.run("uncordon", "w1").out());
    }

    @Test
    void cordonOfAMissingNodeExitsOneWithTheServersMessage() {
        h.controlPlane.register(Node.builder("w1").build());
        Harness.Result r = h.run("cordon", "ghost", "w1");
        assertEquals(1, r.code());
        assertEquals("node/w1 cordoned\n", r.out());
        assertEquals("Error: node \"ghost\" not found\n", r.err());
        assertEquals(2, h.run("cordon").code());
    }

    @Test
    void deleteRemovesEachNamedNode() {
        h.controlPlane.register(Node.builder("w1").build());
        h.controlPlane.register(Node.builder("w2").build());
        Harness.Result r = h.run("delete", "node", "w1", "w2");
        assertEquals(0, r.code(), r::toString);
        assertEquals("node \"w1\" deleted\nnode \"w2\" deleted\n", r.out());
        assertTrue(h.controlPlane.list().isEmpty());
    }

    @Test
    void deleteReportsWhyItIsRefusedAndWhatIsMissing() {
        h.controlPlane.register(Node.builder("busy").build());
        h.controlPlane.register(Node.builder("idle").build());
        Harness.Result r = h.run("delete", "nodes", "busy", "ghost", "idle");
        assertEquals(1, r.code(), r::toString);
        assertEquals("node \"idle\" deleted\n", r.out());
        assertEquals("Error: node \"busy\" cannot be deleted: 2 projects are assigned to node \"busy\"\n"
                + "Error: node \"ghost\" not found\n", r.err());
        assertEquals(1, h.controlPlane.list().size());
    }

    @Test
    void deleteNeedsAResourceTypeAndAName() {
        assertEquals(2, h.run("delete").code());
        assertEquals(2, h.run("delete", "node").code());
        assertEquals(2, h.run("delete", "pod", "x").code());
    }
}
