package dev.cara.sdk;

/** How the control plane reaches a node's agent. */
public enum NetworkMode implements WireEnum {
    /** The agent's address is directly routable. */
    DIRECT,
    /** Traffic is relayed (DERP-style) because no direct path exists. */
    DERP;

    /** {@code Direct}, and {@code DERP} spelled as the protocol is. */
    @Override
    public String wireName() {
        return this == DERP ? "DERP" : WireEnum.super.wireName();
    }

    @Override
    public String toString() {
        return wireName();
    }

    /** @throws InvalidException naming the field, the bad value and the valid ones */
    public static NetworkMode fromWire(String field, String text) {
        return WireNames.parse(NetworkMode.class, field, text, "one of Direct, DERP");
    }
}
