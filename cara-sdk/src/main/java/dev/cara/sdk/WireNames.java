package dev.cara.sdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The wire spellings of the {@link WireEnum}s: derived once per enum, read back strictly. */
final class WireNames {
    // Derived once per enum type and indexed by ordinal: wireName() is on the path of every write.
    private static final ClassValue<String[]> DERIVED = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            return Arrays.stream(type.getEnumConstants()).map(e -> upperCamel(((Enum<?>) e).name())).toArray(String[]::new);
        }
    };

    private WireNames() {
    }

    static String derived(WireEnum constant) {
        Enum<?> e = (Enum<?>) constant;
        return DERIVED.get(e.getDeclaringClass())[e.ordinal()];
    }

    // NOT_READY -> NotReady
    private static String upperCamel(String name) {
        return Arrays.stream(name.split("_"))
                .map(word -> word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining());
    }

    /** The wire spellings of {@code type}'s constants, in order, joined by {@code separator}. */
    static <E extends Enum<E> & WireEnum> String list(Class<E> type, String separator) {
        return Arrays.stream(type.getEnumConstants()).map(WireEnum::wireName).collect(Collectors.joining(separator));
    }

    /**
     * The constant spelled exactly {@code text} on the wire. Case-sensitive on purpose, as
     * {@link NodeState#fromWire}: {@code running} is a client bug worth reporting, not a value to guess at.
     *
     * @param rule what is allowed, completing "must be ...", naming the valid spellings
     * @throws InvalidException naming the field, the bad value and the rule
     */
    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String field, String text, String rule) {
        for (E e : type.getEnumConstants()) {
            if (e.wireName().equals(text)) {
                return e;
            }
        }
        throw new InvalidException(field, text, rule);
    }
}
