package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

// The spellings are derived from the constants' names: this pins every one, so that renaming a
// constant (or a new rule) cannot change the wire unseen.
class WireEnumTest {

    private static final Map<Class<? extends WireEnum>, List<String>> SPELLINGS = new LinkedHashMap<>();

    static {
        SPELLINGS.put(NodeState.class, List.of("Ready", "NotReady", "Draining"));
        SPELLINGS.put(ProjectPhase.class, List.of("Pending", "Scheduled", "Running", "Failed", "Terminating", "Terminated"));
        SPELLINGS.put(ConditionStatus.class, List.of("True", "False", "Unknown"));
        SPELLINGS.put(EventType.class, List.of("Normal", "Warning"));
        SPELLINGS.put(NetworkMode.class, List.of("Direct", "DERP"));
        SPELLINGS.put(VolumeType.class, List.of("Ephemeral"));
        SPELLINGS.put(IngressSpec.Scope.class, List.of("Internal"));
        SPELLINGS.put(InvolvedObject.Kind.class, List.of(Node.KIND, Project.KIND));
    }

    @Test
    void everyWireEnumIsSpelledAsTheDesignSays() {
        assertEquals(SPELLINGS.size(), WireEnum.class.getPermittedSubclasses().length, "a wire enum without pinned spellings");
        SPELLINGS.forEach((type, spellings) -> {
            List<String> wire = Arrays.stream(type.getEnumConstants()).map(WireEnum::wireName).toList();
            assertEquals(spellings, wire, type.getSimpleName());
            assertEquals(spellings, Arrays.stream(type.getEnumConstants()).map(Object::toString).toList(), type.getSimpleName());
        });
    }

    @Test
    void fromWireReadsEachSpellingBack() {
        for (NetworkMode mode : NetworkMode.values()) {
            assertEquals(mode, NetworkMode.fromWire("network.mode", mode.wireName()));
        }
        for (InvolvedObject.Kind kind : InvolvedObject.Kind.values()) {
            assertEquals(kind, InvolvedObject.Kind.fromWire("kind", kind.wireName()));
        }
        assertEquals(ConditionStatus.UNKNOWN, ConditionStatus.fromWire("status", "Unknown"));
        assertEquals(EventType.WARNING, EventType.fromWire("type", "Warning"));
    }
}
