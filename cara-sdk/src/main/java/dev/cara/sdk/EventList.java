package dev.cara.sdk;

import java.util.List;

/**
 * A list of events as the API returns it, {@code {apiVersion, kind: EventList, items: []}}, oldest
 * first and newest last ({@code apiVersion} and {@code kind} implied, as for {@link Event}).
 *
 * @param items never null
 */
public record EventList(List<Event> items) {
    public static final String KIND = "EventList";

    public EventList {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public static EventList of(List<Event> items) {
        return new EventList(items);
    }

    public String apiVersion() {
        return Event.API_VERSION;
    }

    public String kind() {
        return KIND;
    }
}
