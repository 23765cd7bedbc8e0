package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventList;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.NotFoundException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

/**
 * The columns of {@code get events}, as kubectl's: LAST SEEN, TYPE, REASON, OBJECT, COUNT, MESSAGE
 * (wide adds FIRST SEEN), and the Events section at the end of {@code describe node}.
 */
final class EventColumns {
    static final List<String> HEADERS = List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE");
    static final List<String> WIDE_HEADERS = List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "FIRST SEEN", "MESSAGE");
    static final Printer.Kind<Event> KIND = new Printer.Kind<>("event/", Event::name, EventColumns::headers,
            EventColumns::row, new int[]{9, 7, 14, 20, 5, 10, 40}, CaraJson::toJson, events -> CaraJson.toJson(EventList.of(events)));
    /** How many of a node's events {@code describe node} shows: the newest. */
    static final int DESCRIBE_LIMIT = 20;

    private EventColumns() {
    }

    static List<String> headers(boolean wide) {
        return wide ? WIDE_HEADERS : HEADERS;
    }

    static List<String> row(Event e, boolean wide, Instant now) {
        String last = Ages.since(e.lastTimestamp(), now);
        String object = e.involvedObject().toString();
        String count = Integer.toString(e.count());
        return wide
                ? List.of(last, e.type().wireName(), e.reason(), object, count, Ages.since(e.firstTimestamp(), now), e.message())
                : List.of(last, e.type().wireName(), e.reason(), object, count, e.message());
    }

    /**
     * {@code Events:} and the node's newest events as an indented table (TYPE, REASON, AGE, COUNT,
     * MESSAGE, oldest first as kubectl shows them), {@code <none>} when there are none, or a line
     * saying the server keeps none.
     */
    static String describeSection(CaraClient client, String node, Instant now) {
        List<Event> events;
        try {
            events = client.listEvents(EventFilter.about(InvolvedObject.node(node)).withLimit(DESCRIBE_LIMIT)).items();
        } catch (NotFoundException | UnsupportedOperationException e) {
            // A server from before events answers 404 for the path; one without an event store 501.
            return "Events:\n  <unknown: the server does not serve events>\n";
        } catch (dev.cara.sdk.CaraException e) {
            return "Events:\n  <unknown: " + e.getMessage() + ">\n";
        }
        if (events.isEmpty()) {
            return "Events:\n  <none>\n";
        }
        TextTable table = new TextTable(List.of("TYPE", "REASON", "AGE", "COUNT", "MESSAGE"));
        for (Event e : events) {
            table.add(List.of(e.type().wireName(), e.reason(), Ages.since(e.lastTimestamp(), now), Integer.toString(e.count()),
                    e.message()));
        }
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            table.print(out);
        }
        StringBuilder sb = new StringBuilder("Events:\n");
        text.toString().lines().forEach(line -> sb.append("  ").append(line).append('\n'));
        return sb.toString();
    }
}
