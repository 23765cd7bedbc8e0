package dev.cara.sdk;

import java.util.function.Function;

/** Reading an enum constant from its wire spelling: one strict loop for every wire enum of the model. */
final class WireNames {
    private WireNames() {
    }

    /**
     * The constant spelled exactly {@code text} on the wire. Case-sensitive on purpose, as
     * {@link NodeState#fromWire}: {@code running} is a client bug worth reporting, not a value to guess at.
     *
     * @param rule what is allowed, completing "must be ...", naming the valid spellings
     * @throws InvalidException naming the field, the bad value and the rule
     */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> wireName, String field, String text, String rule) {
        for (E e : values) {
            if (wireName.apply(e).equals(text)) {
                return e;
            }
        }
        throw new InvalidException(field, text, rule);
    }
}
