package dev.cara.sdk;

import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;

import java.time.Instant;

import static dev.cara.sdk.JsonFields.instant;
import static dev.cara.sdk.JsonFields.integer;
import static dev.cara.sdk.JsonFields.object;
import static dev.cara.sdk.JsonFields.string;

/**
 * Events in the {@code caravanserai/v1} wire format, Kubernetes' core/v1 Event shape:
 * {@code {apiVersion, kind: Event, metadata: {name, creationTimestamp, resourceVersion}, type, reason,
 * message, involvedObject: {kind, name}, count, firstTimestamp, lastTimestamp}}. Reading is as strict as
 * for nodes (types checked, enums spelled exactly, unknown fields ignored), and the {@link Event}
 * record's own rules apply. Stateless.
 */
final class EventJson {
    private static final String COUNT_RULE = "a whole number of at least 1";

    private EventJson() {
    }

    static void event(JsonGenerator g, Event e) {
        g.writeStartObject();
        g.write("apiVersion", e.apiVersion());
        g.write("kind", e.kind());
        g.writeStartObject("metadata");
        g.write("name", e.name());
        WireWriter.instant(g, "creationTimestamp", e.firstTimestamp());
        WireWriter.string(g, "resourceVersion", e.metadata().resourceVersion());
        g.writeEnd();
        g.write("type", e.type().wireName());
        g.write("reason", e.reason());
        g.write("message", e.message());
        g.writeStartObject("involvedObject");
        g.write("kind", e.involvedObject().kind().wireName());
        g.write("name", e.involvedObject().name());
        g.writeEnd();
        g.write("count", e.count());
        WireWriter.instant(g, "firstTimestamp", e.firstTimestamp());
        WireWriter.instant(g, "lastTimestamp", e.lastTimestamp());
        g.writeEnd();
    }

    static void list(JsonGenerator g, EventList list) {
        WireWriter.list(g, list.apiVersion(), list.kind(), list.items(), EventJson::event);
    }

    static Event event(JsonObject o) {
        JsonObject meta = object(o, "metadata", "metadata");
        String name = meta == null ? null : string(meta, "name", "metadata.name");
        String type = string(o, "type", "type");
        JsonObject about = object(o, "involvedObject", "involvedObject");
        if (about == null) {
            throw new InvalidException("involvedObject", null, "an object with kind and name, for example {kind: Node, name: web-1}");
        }
        String kind = string(about, "kind", "involvedObject.kind");
        String objectName = string(about, "name", "involvedObject.name");
        if (objectName == null) {
            throw new InvalidException("involvedObject.name", null, Names.DNS_SUBDOMAIN_RULE);
        }
        Integer count = integer(o, "count", "count", 1, Integer.MAX_VALUE, COUNT_RULE);
        Instant first = instant(o, "firstTimestamp", "firstTimestamp");
        Event.Builder b = Event.builder()
                .type(EventType.fromWire("type", type))
                .reason(string(o, "reason", "reason"))
                .message(string(o, "message", "message"))
                .involvedObject(new InvolvedObject(InvolvedObject.Kind.fromWire("involvedObject.kind", kind), objectName))
                .count(count == null ? 1 : count);
        if (first != null) {
            b.firstTimestamp(first);
        }
        Instant last = instant(o, "lastTimestamp", "lastTimestamp");
        if (last != null) {
            b.lastTimestamp(last);
        }
        if (name != null) {
            b.name(name);
        }
        Event e = b.build();
        String version = meta == null ? null : string(meta, "resourceVersion", "metadata.resourceVersion");
        return version == null ? e : e.stored(e.name(), version);
    }

    static EventList list(JsonObject o) {
        String kind = string(o, "kind", "kind");
        if (kind != null && !EventList.KIND.equals(kind)) {
            throw new InvalidException("kind", kind, "\"" + EventList.KIND + "\"");
        }
        return EventList.of(ProjectReader.listItems(o, "an Event object", EventJson::event));
    }
}
