package dev.cara.sdk;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How an {@link Event} reads to an operator, as in Kubernetes: all is well, or look at this. */
public enum EventType {
    /** Something expected happened: a node registered, became Ready, a project was scheduled. */
    NORMAL("Normal"),
    /** Something an operator may have to act on: a node went NotReady, is flapping, a project cannot be placed. */
    WARNING("Warning");

    private static final String VALID = Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(" or "));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }

    /** @throws InvalidException naming the field, the bad value and the valid ones */
    public static EventType fromWire(String field, String text) {
        return WireNames.parse(values(), EventType::wireName, field, text, VALID);
    }
}
