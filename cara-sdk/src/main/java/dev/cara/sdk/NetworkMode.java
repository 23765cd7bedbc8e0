package dev.cara.sdk;

/** How the control plane reaches a node's agent. */
public enum NetworkMode {
    /** The agent's address is directly routable. */
    DIRECT("Direct"),
    /** Traffic is relayed (DERP-style) because no direct path exists. */
    DERP("DERP");

    private final String wireName;

    NetworkMode(String wireName) {
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
    public static NetworkMode fromWire(String field, String text) {
        return WireNames.parse(values(), NetworkMode::wireName, field, text, "one of Direct, DERP");
    }
}
