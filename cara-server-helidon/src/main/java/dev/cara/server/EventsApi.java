package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventList;
import dev.cara.sdk.EventType;
import dev.cara.sdk.EventWatchEvent;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.InvolvedObject;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code GET /api/v1/events}: the control plane's event history, oldest first and newest last, as
 * kubectl shows it. Query: {@code object=node/NAME} (or {@code project/NAME}), else {@code kind=Node|Project};
 * {@code type=Normal|Warning}; {@code since=RFC 3339} (last seen at or after); {@code limit=1..10000}
 * (the newest that many; {@value #DEFAULT_LIMIT} when not given). With {@code watch=true}: NDJSON as for
 * the node watch ({@link WatchStreams}), an ADDED line per matching event now, then ADDED for each new
 * event and MODIFIED for each repeat folded into one. Bad parameters are 400s that name the expected
 * form. Handlers hold no state.
 */
record EventsApi(ControlPlane controlPlane, WatchStreams watches) {
    static final String EVENTS = "/api/v1/events";
    /** How many events a list answers when it names no limit: enough for a screen, cheap to send. */
    static final int DEFAULT_LIMIT = 500;
    private static final String TIMESTAMP_RULE = "an RFC 3339 timestamp such as 2026-01-02T15:04:05Z";

    void register(HttpRouting.Builder routing) {
        NodesApi.readOnly(routing, EVENTS, this::listOrWatch);
    }

    private void listOrWatch(ServerRequest req, ServerResponse res) {
        try {
            serve(req, res);
        } catch (UnsupportedOperationException e) {
            // The store keeps no events: say so (and why) rather than answer an empty history.
            HttpProblems.send(req, res, 501, "this server keeps no event history: " + e.getMessage(), EVENTS);
        }
    }

    private void serve(ServerRequest req, ServerResponse res) {
        EventFilter filter = filter(req);
        Optional<EventType> type = NodesApi.query(req, "type").map(t -> EventType.fromWire("type", t));
        if (NodesApi.isWatch(req)) {
            if (Responses.isHead(req)) {
                watches.head(res);
                return;
            }
            watches.<EventWatchEvent>stream(req, res, EVENTS, (sink, onClose) -> {
                Consumer<EventWatchEvent> typed = e -> {
                    if (type.isEmpty() || e.object().type() == type.get()) {
                        sink.accept(e);
                    }
                };
                return controlPlane.watchEvents(filter, typed, onClose);
            }, CaraJson::toJson);
            return;
        }
        List<Event> items;
        if (type.isEmpty()) {
            items = controlPlane.events(filter).items();
        } else {
            // The type is no part of the store's filter: read all that match the rest, keep the newest of the type.
            List<Event> all = controlPlane.events(filter.withLimit(EventFilter.MAX_LIMIT)).items()
                    .stream().filter(e -> e.type() == type.get()).toList();
            items = all.subList(Math.max(0, all.size() - filter.limit()), all.size());
        }
        NodesApi.sendJson(req, res, Status.OK_200, CaraJson.toJson(EventList.of(items)));
    }

    /** The filter the query asks for; each bad parameter is an {@link InvalidException} naming it and its form. */
    static EventFilter filter(ServerRequest req) {
        EventFilter filter = EventFilter.all().withLimit(DEFAULT_LIMIT);
        Optional<String> object = NodesApi.query(req, "object");
        if (object.isPresent()) {
            filter = filter.withObject(InvolvedObject.parse("object", object.get()));
        } else {
            Optional<String> kind = NodesApi.query(req, "kind");
            if (kind.isPresent()) {
                filter = filter.withKind(InvolvedObject.Kind.fromWire("kind", kind.get()));
            }
        }
        Optional<String> since = NodesApi.query(req, "since");
        if (since.isPresent()) {
            try {
                filter = filter.withSince(Instant.parse(since.get()));
            } catch (DateTimeParseException e) {
                throw new InvalidException("since", since.get(), TIMESTAMP_RULE);
            }
        }
        Optional<String> limit = NodesApi.query(req, "limit");
        if (limit.isPresent()) {
            filter = filter.withLimit(limit(limit.get()));
        }
        return filter;
    }

    private static int limit(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidException("limit", text, "a whole number from 1 to " + EventFilter.MAX_LIMIT);
        }
    }
}
