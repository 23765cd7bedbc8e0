package dev.cara.sdk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Selects nodes by their labels, in the Kubernetes syntax: requirements separated by commas, all
 * of which must hold. {@code key=value} (or {@code ==}), {@code key!=value}, {@code key} (exists),
 * {@code !key} (does not exist), {@code key in (a,b)} and {@code key notin (a,b)}.
 */
public final class LabelSelector {
    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), "");
    private static final String RULE = "comma-separated requirements such as app=web, tier!=db, gpu, !spot, "
            + "zone in (a,b) or zone notin (c)";

    private final List<Requirement> requirements;
    private final String text;

    private LabelSelector(List<Requirement> requirements, String text) {
        this.requirements = List.copyOf(requirements);
        this.text = text;
    }

    /** The selector that matches every node. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** A selector requiring each of the given labels, with equal values. */
    public static LabelSelector matching(Map<String, String> labels) {
        List<Requirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.IN, Set.of(v))));
        return new LabelSelector(reqs, labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
    }

    /**
     * Parses a selector; blank or null text selects everything.
     *
     * @throws InvalidException naming {@code labelSelector}, the text and the syntax
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            reqs.add(parseRequirement(text, part.trim()));
        }
        return new LabelSelector(reqs, text.trim());
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement parseRequirement(String whole, String part) {
        if (part.isEmpty()) {
            throw invalid(whole);
        }
        if (part.startsWith("!")) {
            return new Requirement(key(whole, part.substring(1).trim()), Operator.DOES_NOT_EXIST, Set.of());
        }
        int ne = part.indexOf("!=");
        if (ne > 0) {
            return new Requirement(key(whole, part.substring(0, ne).trim()), Operator.NOT_IN,
                    Set.of(value(whole, part.substring(ne + 2).trim())));
        }
        int eq = part.indexOf('=');
        if (eq > 0) {
            int valueStart = part.startsWith("==", eq) ? eq + 2 : eq + 1;
            return new Requirement(key(whole, part.substring(0, eq).trim()), Operator.IN,
                    Set.of(value(whole, part.substring(valueStart).trim())));
        }
        String[] words = part.split("\\s+", 2);
        if (words.length == 2) {
            String rest = words[1].trim();
            Operator op;
            if (rest.startsWith("in")) {
                op = Operator.IN;
                rest = rest.substring(2).trim();
            } else if (rest.startsWith("notin")) {
                op = Operator.NOT_IN;
                rest = rest.substring(5).trim();
            } else {
                throw invalid(whole);
            }
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw invalid(whole);
            }
            String inside = rest.substring(1, rest.length() - 1);
            if (inside.isBlank()) {
                throw invalid(whole); // as in Kubernetes: "in ()" and "notin ()" name no values
            }
            Set<String> values = new LinkedHashSet<>();
            for (String v : inside.split(",", -1)) {
                values.add(value(whole, v.trim()));
            }
            return new Requirement(key(whole, words[0]), op, values);
        }
        return new Requirement(key(whole, part), Operator.EXISTS, Set.of());
    }

    private static String key(String whole, String key) {
        try {
            return Names.requireLabelKey("labelSelector", key);
        } catch (InvalidException e) {
            throw invalid(whole);
        }
    }

    private static String value(String whole, String value) {
        try {
            return Names.requireLabelValue("labelSelector", value);
        } catch (InvalidException e) {
            throw invalid(whole);
        }
    }

    private static InvalidException invalid(String text) {
        return new InvalidException("labelSelector", text, RULE);
    }

    /** Whether a node with these labels is selected. */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean matches(Node node) {
        return matches(node.metadata().labels());
    }

    public boolean selectsEverything() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** The selector as it was written (normalised for {@link #matching}). */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector s && s.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    /** How a requirement compares a label. */
    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    /** One requirement of a selector. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = Set.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }
}
