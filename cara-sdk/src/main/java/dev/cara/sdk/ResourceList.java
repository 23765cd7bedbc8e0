package dev.cara.sdk;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Amounts of named resources ({@code cpu}, {@code memory}, {@code ephemeral-storage}, ...),
 * sorted by name. Immutable.
 */
public record ResourceList(Map<String, Quantity> amounts) {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public static final ResourceList EMPTY = new ResourceList(Map.of());

    public ResourceList {
        Objects.requireNonNull(amounts, "amounts");
        TreeMap<String, Quantity> sorted = new TreeMap<>();
        amounts.forEach((name, quantity) -> sorted.put(wellKnown(Objects.requireNonNull(name, "resource name")),
                Objects.requireNonNull(quantity, () -> "quantity of " + name)));
        amounts = Collections.unmodifiableMap(sorted);
    }

    /** The constant for a resource name every node reports, so that a fleet's lists do not each hold a copy. */
    private static String wellKnown(String name) {
        return switch (name) {
            case CPU -> CPU;
            case MEMORY -> MEMORY;
            case EPHEMERAL_STORAGE -> EPHEMERAL_STORAGE;
            case PODS -> PODS;
            default -> name;
        };
    }

    public static ResourceList of(Map<String, Quantity> amounts) {
        return amounts.isEmpty() ? EMPTY : new ResourceList(amounts);
    }

    /** Parses each value, for example {@code ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi"))}. */
    public static ResourceList parse(Map<String, String> amounts) {
        TreeMap<String, Quantity> parsed = new TreeMap<>();
        amounts.forEach((name, text) -> parsed.put(name, Quantity.parse(text)));
        return of(parsed);
    }

    public Optional<Quantity> get(String resource) {
        return Optional.ofNullable(amounts.get(resource));
    }

    /** The amount of {@code resource}, or zero when absent. */
    public Quantity amount(String resource) {
        return amounts.getOrDefault(resource, Quantity.ZERO);
    }

    public boolean isEmpty() {
        return amounts.isEmpty();
    }

    /** The sum, resource by resource. */
    public ResourceList plus(ResourceList other) {
        TreeMap<String, Quantity> sum = new TreeMap<>(amounts);
        other.amounts.forEach((name, q) -> sum.merge(name, q, Quantity::add));
        return of(sum);
    }

    /** The difference, resource by resource; a resource only in {@code other} goes negative. */
    public ResourceList minus(ResourceList other) {
        TreeMap<String, Quantity> diff = new TreeMap<>(amounts);
        other.amounts.forEach((name, q) -> diff.put(name, amount(name).subtract(q)));
        return of(diff);
    }

    /** True when every resource named in {@code request} is available here in at least that amount. */
    public boolean fits(ResourceList request) {
        for (Map.Entry<String, Quantity> e : request.amounts.entrySet()) {
            if (amount(e.getKey()).compareTo(e.getValue()) < 0) {
                return false;
            }
        }
        return true;
    }
}
