package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event model: the builder's checks and wording, the object's text form, folding's key and window. */
class EventTest {
    private static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

    private static Event.Builder notReady() {
        return Event.builder().warning().reason(EventReason.NOT_READY).node("web-1").message("node is NotReady").at(T);
    }

    @Test
    void theBuilderFillsCountLastTimestampAndAKubernetesStyleName() {
        Event e = notReady().build();
        assertEquals(1, e.count());
        assertEquals(T, e.lastTimestamp());
        assertEquals(T, e.metadata().createdAt());
        assertEquals("web-1." + Long.toHexString(T.getEpochSecond() * 1_000_000_000L), e.name());
        assertEquals("caravanserai/v1", e.apiVersion());
        assertEquals("Event", e.kind());
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndTheRule() {
        assertEquals("reason: \"not ready\" is invalid: must be " + EventReason.RULE,
                assertThrows(InvalidException.class, () -> Event.builder().reason("not ready")).getMessage());
        assertEquals("message", assertThrows(InvalidException.class, () -> Event.builder().message(" ")).field());
        assertEquals("message", assertThrows(InvalidException.class,
                () -> Event.builder().message("x".repeat(Event.MAX_MESSAGE + 1))).field());
        assertEquals("count", assertThrows(InvalidException.class, () -> Event.builder().count(0)).field());
        assertEquals("type is required: must be set on the event builder",
                assertThrows(InvalidException.class, () -> Event.builder().reason("Ready").build()).getMessage());
        assertEquals("lastTimestamp", assertThrows(InvalidException.class,
                () -> notReady().lastTimestamp(T.minusSeconds(1)).build()).field());
        assertEquals("x".repeat(Event.MAX_MESSAGE - 3) + "...", Event.fitMessage("x".repeat(Event.MAX_MESSAGE + 10)));
    }

    @Test
    void anInvolvedObjectReadsAndWritesItsTextForm() {
        assertEquals(InvolvedObject.node("web-1"), InvolvedObject.parse("object", "node/web-1"));
        assertEquals(InvolvedObject.project("db"), InvolvedObject.parse("object", "project/db"));
        assertEquals("node/web-1", InvolvedObject.node("web-1").toString());
        InvalidException e = assertThrows(InvalidException.class, () -> InvolvedObject.parse("object", "Node/web-1"));
        assertEquals("object: \"Node/web-1\" is invalid: must be KIND/NAME with KIND one of node, project and NAME a DNS "
                + "subdomain, for example node/web-1", e.getMessage());
        assertThrows(InvalidException.class, () -> InvolvedObject.parse("object", "web-1"));
        assertThrows(InvalidException.class, () -> InvolvedObject.parse("object", "node/Web_1"));
        assertEquals(InvolvedObject.Kind.PROJECT, InvolvedObject.Kind.fromWire("involvedObject.kind", "Project"));
        assertEquals(EventType.WARNING, EventType.fromWire("type", "Warning"));
        assertEquals("type: \"warning\" is invalid: must be Normal or Warning",
                assertThrows(InvalidException.class, () -> EventType.fromWire("type", "warning")).getMessage());
    }

    @Test
    void foldingKeysOnObjectTypeReasonAndMessageWithinTheWindowFromTheLastOccurrence() {
        EventFolding folding = EventFolding.within(Duration.ofMinutes(10));
        Event first = notReady().build().repeated(2, T.plusSeconds(60));
        assertEquals(3, first.count());
        Event inWindow = notReady().at(T.plusSeconds(60).plus(Duration.ofMinutes(10))).build();
        assertTrue(folds(folding, first, inWindow), "exactly one window after the last occurrence still folds");
        Event folded = folding.fold(first, inWindow);
        assertEquals(4, folded.count());
        assertEquals(T, folded.firstTimestamp());
        assertEquals(inWindow.lastTimestamp(), folded.lastTimestamp());
        assertFalse(folds(folding, first, notReady().at(inWindow.firstTimestamp().plusNanos(1)).build()));
        assertFalse(folds(folding, first, notReady().message("node is NotReady: AgentShutdown").build()));
        assertFalse(folds(folding, first, notReady().node("web-2").build()));
        assertFalse(folds(folding, first, notReady().normal().build()));
        assertThrows(IllegalArgumentException.class, () -> folding.fold(first, notReady().node("web-2").build()));
        assertEquals("events.foldWindow", assertThrows(InvalidException.class,
                () -> EventFolding.within(Duration.ofSeconds(-1))).field());
    }

    @Test
    void aPolicyBoundsAgeAndCount() {
        EventPolicy defaults = EventPolicy.defaults();
        assertEquals(Duration.ofHours(1), defaults.maxAge());
        assertEquals(EventPolicy.DEFAULT_MAX_COUNT, defaults.maxCount());
        assertEquals(EventFolding.standard(), defaults.folding());
        assertEquals("events.maxCount: \"0\" is invalid: must be at least 1",
                assertThrows(InvalidException.class, () -> EventPolicy.builder().maxCount(0)).getMessage());
        assertEquals("events.maxAge", assertThrows(InvalidException.class,
                () -> EventPolicy.builder().maxAge(Duration.ZERO)).field());
    }

    @Test
    void aFilterMatchesObjectKindAndSinceAndBoundsItsLimit() {
        Event e = notReady().build();
        assertTrue(EventFilter.all().test(e));
        assertTrue(EventFilter.about(InvolvedObject.node("web-1")).test(e));
        assertFalse(EventFilter.about(InvolvedObject.project("web-1")).test(e));
        assertFalse(EventFilter.all().withKind(InvolvedObject.Kind.PROJECT).test(e));
        assertTrue(EventFilter.all().withSince(T).test(e), "since is inclusive");
        assertFalse(EventFilter.all().withSince(T.plusNanos(1)).test(e));
        assertEquals("limit: \"0\" is invalid: must be a whole number from 1 to 10000",
                assertThrows(InvalidException.class, () -> EventFilter.all().withLimit(0)).getMessage());
        assertEquals(InvolvedObject.node("web-1"), EventFilter.about(InvolvedObject.node("web-1")).object().orElseThrow());
    }

    private static boolean folds(EventFolding folding, Event stored, Event incoming) {
        return folding.folds(stored, incoming);
    }
}
