package dev.cara.sdk;

/** How an {@link Event} reads to an operator, as in Kubernetes: all is well, or look at this. */
public enum EventType implements WireEnum {
    /** Something expected happened: a node registered, became Ready, a project was scheduled. */
    NORMAL,
    /** Something an operator may have to act on: a node went NotReady, is flapping, a project cannot be placed. */
    WARNING;

    private static final String VALID = WireNames.list(EventType.class, " or ");

    @Override
    public String toString() {
        return wireName();
    }

    /** @throws InvalidException naming the field, the bad value and the valid ones */
    public static EventType fromWire(String field, String text) {
        return WireNames.parse(EventType.class, field, text, VALID);
    }
}
