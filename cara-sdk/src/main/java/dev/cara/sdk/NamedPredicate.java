package dev.cara.sdk;

/**
 * A built-in {@link NodePredicate}: a name and the test as a function, so that each built-in one is
 * one line in {@link NodePredicate}. Immutable.
 */
record NamedPredicate(String name, Rule rule) implements NodePredicate {
    /** The test of {@link NodePredicate#test}, as a lambda can give it. */
    @FunctionalInterface
    interface Rule {
        boolean test(Node node, SchedulingRequest request, ResourceList assigned);
    }

    @Override
    public boolean test(Node node, SchedulingRequest request, ResourceList assigned) {
        return rule.test(node, request, assigned);
    }

    @Override
    public String toString() {
        return name;
    }
}
