package dev.cara.sdk;

import java.util.Objects;

/**
 * What a piece of work needs from a node.
 *
 * @param resources the amounts it needs, for example {@code cpu: 500m, memory: 1Gi}
 * @param selector  which nodes it may run on, by label
 */
public record SchedulingRequest(ResourceList resources, LabelSelector selector) {
    public SchedulingRequest {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(selector, "selector");
        for (var e : resources.amounts().entrySet()) {
            if (e.getValue().isNegative()) {
                throw new InvalidException("resources." + e.getKey(), e.getValue().toString(), "zero or more");
            }
        }
    }

    public static SchedulingRequest of(ResourceList resources) {
        return new SchedulingRequest(resources, LabelSelector.everything());
    }
}
