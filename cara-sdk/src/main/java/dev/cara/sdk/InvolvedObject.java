package dev.cara.sdk;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What an {@link Event} is about: a node or a project, by name. Its text form, {@code node/web-1},
 * is how the API ({@code GET /api/v1/events?object=node/web-1}) and caractrl
 * ({@code get events --for node/web-1}) name it.
 *
 * @param kind the object's kind
 * @param name the object's name
 */
public record InvolvedObject(Kind kind, String name) {
    public InvolvedObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static InvolvedObject node(String name) {
        return new InvolvedObject(Kind.NODE, name);
    }

    public static InvolvedObject project(String name) {
        return new InvolvedObject(Kind.PROJECT, name);
    }

    /**
     * Reads {@code node/NAME} or {@code project/NAME}, the kind in lower case as kubectl writes it.
     *
     * @param field the parameter the text came from, named in the error (for example {@code object})
     * @throws InvalidException naming what is wrong and the form that is accepted
     */
    public static InvolvedObject parse(String field, String text) {
        String rule = "KIND/NAME with KIND one of " + Kind.VALID_PATHS + " and NAME a DNS subdomain, for example node/web-1";
        if (text == null) {
            throw new InvalidException(field, null, rule);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidException(field, text, rule);
        }
        String path = text.substring(0, slash);
        String name = text.substring(slash + 1);
        for (Kind kind : Kind.values()) {
            if (kind.path.equals(path)) {
                if (!Names.isValidNodeName(name)) {
                    throw new InvalidException(field, text, rule);
                }
                return new InvolvedObject(kind, name);
            }
        }
        throw new InvalidException(field, text, rule);
    }

    /** The text form, {@code node/web-1}, that {@link #parse} reads. */
    @Override
    public String toString() {
        return kind.path + "/" + name;
    }

    /** The kinds of object that events are about. */
    public enum Kind implements WireEnum {
        NODE("node"),
        PROJECT("project");

        private static final String VALID_PATHS = Arrays.stream(values()).map(k -> k.path).collect(Collectors.joining(", "));
        private static final String VALID = WireNames.list(Kind.class, " or ");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        @Override
        public String toString() {
            return wireName();
        }

        /** @throws InvalidException naming the field, the bad value and the valid ones */
        public static Kind fromWire(String field, String text) {
            return WireNames.parse(Kind.class, field, text, VALID);
        }
    }
}
