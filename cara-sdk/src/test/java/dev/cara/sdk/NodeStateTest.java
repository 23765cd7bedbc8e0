package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeStateTest {

    @Test
    void wireNamesAreTheDesignsSpelling() {
        assertEquals(List.of("Ready", "NotReady", "Draining"), Arrays.stream(NodeState.values()).map(NodeState::wireName).toList());
        assertEquals("NotReady", NodeState.NOT_READY.toString());
    }

    @Test
    void fromWireReadsEachWireName() {
        for (NodeState state : NodeState.values()) {
            assertEquals(state, NodeState.fromWire("status.state", state.wireName()));
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"ready", "READY", "notready", "Not Ready", "NOT_READY", "draining", " Ready", "Ready ", "", "Unknown"})
    void fromWireIsCaseSensitiveAndNamesTheValidStates(String text) {
        InvalidException e = assertThrows(InvalidException.class, () -> NodeState.fromWire("state", text));
        assertEquals("state", e.field());
        assertEquals(text, e.value());
        assertEquals("state: \"" + text + "\" is invalid: must be one of Ready, NotReady, Draining", e.getMessage());
    }

    @Test
    void aMissingStateIsRequired() {
        assertEquals("state is required: must be one of Ready, NotReady, Draining",
                assertThrows(InvalidException.class, () -> NodeState.fromWire("state", null)).getMessage());
    }

    @Test
    void onlyReadyIsSchedulableAndHealthy() {
        assertTrue(NodeState.READY.schedulable());
        assertTrue(NodeState.READY.healthy());
        assertFalse(NodeState.NOT_READY.schedulable());
        assertFalse(NodeState.NOT_READY.healthy());
        assertFalse(NodeState.DRAINING.schedulable());
        assertFalse(NodeState.DRAINING.healthy());
    }

    @Test
    void conditionStatusAndNetworkModeAreAlsoCaseSensitive() {
        assertEquals(ConditionStatus.TRUE, ConditionStatus.fromWire("status", "True"));
        assertEquals(ConditionStatus.UNKNOWN, ConditionStatus.fromWire("status", "Unknown"));
        assertEquals("True", ConditionStatus.of(true).wireName());
        assertEquals("False", ConditionStatus.of(false).toString());
        assertThrows(InvalidException.class, () -> ConditionStatus.fromWire("status", "true"));
        assertEquals(NetworkMode.DERP, NetworkMode.fromWire("mode", "DERP"));
        assertEquals(NetworkMode.DIRECT, NetworkMode.fromWire("mode", "Direct"));
        assertEquals("mode: \"derp\" is invalid: must be one of Direct, DERP",
                assertThrows(InvalidException.class, () -> NetworkMode.fromWire("mode", "derp")).getMessage());
    }
}
