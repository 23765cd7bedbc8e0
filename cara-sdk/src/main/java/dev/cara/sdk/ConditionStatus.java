package dev.cara.sdk;

/** The status of a {@link Condition}: the condition holds, does not hold, or nobody knows. */
public enum ConditionStatus implements WireEnum {
    TRUE, FALSE, UNKNOWN;

    @Override
    public String toString() {
        return wireName();
    }

    public static ConditionStatus of(boolean holds) {
        return holds ? TRUE : FALSE;
    }

    /** @throws InvalidException naming the field, the bad value and the valid ones */
    public static ConditionStatus fromWire(String field, String text) {
        return WireNames.parse(ConditionStatus.class, field, text, "one of True, False, Unknown");
    }
}
