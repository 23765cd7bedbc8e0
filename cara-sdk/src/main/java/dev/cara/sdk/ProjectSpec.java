package dev.cara.sdk;

import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a project's owner wants: the {@code spec} of the {@code caravanserai/v1} Project.
 *
 * @param services     the containers, at least one; never null
 * @param volumes      named volumes the services mount; never null
 * @param ingress      HTTP routes to the services; never null
 * @param expireAt     when the control plane tears the project down by itself, or {@code null}
 * @param resources    what the scheduler reserves on the node (a cara extension); never null
 * @param nodeSelector labels a node must carry to take the project (a cara extension); never null
 */
public record ProjectSpec(List<ServiceSpec> services, List<VolumeSpec> volumes, List<IngressSpec> ingress,
                         Instant expireAt, ResourceRequirements resources, Map<String, String> nodeSelector) {

    public ProjectSpec {
        services = services == null ? List.of() : List.copyOf(services);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        ingress = ingress == null ? List.of() : List.copyOf(ingress);
        resources = resources == null ? ResourceRequirements.NONE : resources;
        nodeSelector = nodeSelector == null || nodeSelector.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(nodeSelector));
    }

    /** What the scheduler needs: the requests and the node selector. */
    public SchedulingRequest schedulingRequest() {
        return new SchedulingRequest(resources.requests(),
                nodeSelector.isEmpty() ? LabelSelector.everything() : LabelSelector.matching(nodeSelector));
    }

    /** Whether {@code expireAt} is set and {@code now} is at or past it. */
    public boolean expiredAt(Instant now) {
        return expireAt != null && !now.isBefore(expireAt);
    }

    /**
     * Checks every rule the wire format implies, except that {@code expireAt} lies in the future (only
     * a create checks that: {@link Project#validateForCreate}). Field paths start at {@code spec}:
     * {@code spec.services[1].name: "web" is invalid: must be unique among services}.
     *
     * @throws InvalidException for the first rule broken
     */
    public ProjectSpec validate() {
        if (services.isEmpty()) {
            throw new InvalidException("spec.services", null,
                    "a list of at least one service, each with a name and an image (for example {name: web, image: \"nginx:alpine\"})");
        }
        Set<String> volumeNames = uniqueNames("spec.volumes", "volumes", volumes, VolumeSpec::name, VolumeSpec::validate);
        Set<String> serviceNames = uniqueNames("spec.services", "services", services, ServiceSpec::name, ServiceSpec::validate);
        for (int i = 0; i < services.size(); i++) {
            List<VolumeMount> mounts = services.get(i).volumeMounts();
            for (int j = 0; j < mounts.size(); j++) {
                requireDeclared("spec.services[" + i + "].volumeMounts[" + j + "].name", mounts.get(j).name(),
                        "a volume in spec.volumes", volumeNames);
            }
        }
        uniqueNames("spec.ingress", "ingress routes", ingress, IngressSpec::name, IngressSpec::validate);
        for (int i = 0; i < ingress.size(); i++) {
            requireDeclared("spec.ingress[" + i + "].target.service", ingress.get(i).target().service(),
                    "a service in spec.services", serviceNames);
        }
        try {
            resources.validate();
        } catch (InvalidException e) {
            throw e.under("spec.resources");
        }
        nodeSelector.forEach((k, v) -> {
            Names.requireLabelKey("spec.nodeSelector", k);
            Names.requireLabelValue("spec.nodeSelector." + k, v);
        });
        return this;
    }

    /** Validates each element under {@code path[i]} and checks that their names are unique; returns the names. */
    private static <T> Set<String> uniqueNames(String path, String what, List<T> items, Function<T, String> name,
                                               Function<T, T> validate) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            String at = path + "[" + i + "]";
            if (item == null) {
                throw new InvalidException(at, null, "an object, not null");
            }
            try {
                validate.apply(item);
            } catch (InvalidException e) {
                throw e.under(at);
            }
            if (!names.add(name.apply(item))) {
                throw new InvalidException(at + ".name", name.apply(item), "unique among " + what);
            }
        }
        return names;
    }

    private static void requireDeclared(String field, String name, String what, Set<String> declared) {
        if (!declared.contains(name)) {
            String known = declared.isEmpty() ? "none is declared"
                    : "declared: " + declared.stream().sorted().collect(Collectors.joining(", "));
            throw new InvalidException(field, name, "the name of " + what + " (" + known + ")");
        }
    }
}
