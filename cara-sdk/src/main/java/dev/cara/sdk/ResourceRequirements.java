package dev.cara.sdk;

import java.util.Map;

/**
 * What a project asks of its node (a cara extension of the wire format, which older clients ignore).
 *
 * @param requests the amounts the scheduler reserves on the node, for example {@code cpu: 500m,
 *                 memory: 1Gi}; never null
 */
public record ResourceRequirements(ResourceList requests) {
    public static final ResourceRequirements NONE = new ResourceRequirements(ResourceList.EMPTY);

    public ResourceRequirements {
        requests = requests == null ? ResourceList.EMPTY : requests;
    }

    /** Parses each amount, for example {@code ResourceRequirements.requests(Map.of("cpu", "500m"))}. */
    public static ResourceRequirements requests(Map<String, String> amounts) {
        return new ResourceRequirements(ResourceList.parse(amounts));
    }

    /**
     * Checks that each resource name is well formed and each amount zero or more; field paths are relative ({@code requests.cpu}).
     *
     * @throws InvalidException naming the resource and the amount
     */
    public ResourceRequirements validate() {
        requests.amounts().forEach((name, amount) -> {
            Names.requireLabelKey("requests", name);
            if (amount.isNegative()) {
                throw new InvalidException("requests." + name, amount.toString(), "zero or more");
            }
        });
        return this;
    }
}
