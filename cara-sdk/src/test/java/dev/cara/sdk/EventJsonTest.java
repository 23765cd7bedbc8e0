package dev.cara.sdk;

import dev.cara.sdk.testkit.JsonTrees;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Event wire format: Kubernetes' Event shape, round trips, and strict reading with field-named errors. */
class EventJsonTest {
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");
    private static final Event STORED = Event.builder().warning().reason(EventReason.NOT_READY).node("web-1")
            .message("node is NotReady: the agent shut down (AgentShutdown)").count(3).firstTimestamp(FIRST)
            .lastTimestamp(FIRST.plusSeconds(90)).build().stored("web-1.2a", "42");

    @Test
    void writesTheKubernetesShape() {
        var o = JsonTrees.object(CaraJson.toJson(STORED));
        assertEquals("caravanserai/v1", o.getString("apiVersion"));
        assertEquals("Event", o.getString("kind"));
        assertEquals("web-1.2a", o.getJsonObject("metadata").getString("name"));
        assertEquals("2026-01-01T00:00:00Z", o.getJsonObject("metadata").getString("creationTimestamp"));
        assertEquals("42", o.getJsonObject("metadata").getString("resourceVersion"));
        assertEquals("Warning", o.getString("type"));
        assertEquals("NotReady", o.getString("reason"));
        assertEquals("Node", o.getJsonObject("involvedObject").getString("kind"));
        assertEquals("web-1", o.getJsonObject("involvedObject").getString("name"));
        assertEquals(3, o.getInt("count"));
        assertEquals("2026-01-01T00:01:30Z", o.getString("lastTimestamp"));
    }

    @Test
    void roundTripsAnEventAListAndAWatchLine() {
        assertEquals(STORED, CaraJson.parseEvent(CaraJson.toJson(STORED)));
        EventList list = EventList.of(List.of(STORED));
        assertEquals(list, CaraJson.parseEventList(CaraJson.toJson(list)));
        EventWatchEvent line = new EventWatchEvent(WatchEvent.Type.MODIFIED, STORED);
        assertEquals(line, CaraJson.parseEventWatchEvent(CaraJson.toJson(line)));
    }

    @Test
    void readingIsStrictAndNamesTheField() {
        String json = CaraJson.toJson(STORED);
        InvalidException type = assertThrows(InvalidException.class, () -> CaraJson.parseEvent(json.replace("\"Warning\"", "\"warning\"")));
        assertTrue(type.getMessage().contains("type") && type.getMessage().contains("Normal or Warning"), type.getMessage());
        InvalidException count = assertThrows(InvalidException.class, () -> CaraJson.parseEvent(json.replace("\"count\":3", "\"count\":\"3\"")));
        assertTrue(count.getMessage().contains("count"), count.getMessage());
        InvalidException kind = assertThrows(InvalidException.class, () -> CaraJson.parseEvent(json.replace("\"Node\"", "\"Pod\"")));
        assertTrue(kind.getMessage().contains("involvedObject.kind"), kind.getMessage());
        assertThrows(InvalidException.class, () -> CaraJson.parseEventList("{\"kind\":\"NodeList\",\"items\":[]}"));
    }
}
