package dev.cara.sdk;

/** How long a project's volume lives. The wire format knows one type so far. */
public enum VolumeType implements WireEnum {
    /** Discarded when the project stops or moves to another node; never backed up. */
    EPHEMERAL;

    @Override
    public String toString() {
        return wireName();
    }

    /**
     * The type spelled exactly as on the wire.
     *
     * @throws InvalidException naming the field, the bad value and the valid ones
     */
    public static VolumeType fromWire(String field, String text) {
        return WireNames.parse(VolumeType.class, field, text, "Ephemeral (the only volume type so far)");
    }
}
