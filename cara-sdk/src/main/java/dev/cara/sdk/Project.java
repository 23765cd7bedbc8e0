package dev.cara.sdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A unit of work that the scheduler places on one node: the {@code caravanserai/v1} {@code Project}
 * resource. Its services run together on that node.
 *
 * <p>Immutable. {@code apiVersion} and {@code kind} are implied (the constants below): a parser checks
 * them with {@link #checkTypeMeta} before it builds a project. Use {@link #builder(String)} to write a
 * manifest in code, the {@code with*} methods to derive changed copies, and {@link #validate()} or
 * {@link #validateForCreate(Instant)} on what a client sent.
 *
 * @param metadata name, labels, annotations, times and resourceVersion, as for nodes
 * @param spec     what the owner wants; never null
 * @param status   what the system observes; never null ({@link ProjectStatus#INITIAL} when not given)
 */
public record Project(ObjectMeta metadata, ProjectSpec spec, ProjectStatus status) implements ApiObject {
    public static final String API_VERSION = Node.API_VERSION;
    public static final String KIND = "Project";

    public Project {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        status = status == null ? ProjectStatus.INITIAL : status;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Checks a document's {@code apiVersion} and {@code kind}, worded as {@link Node#validate()} words it.
     *
     * @throws InvalidException naming the field, the value and what it must be
     */
    public static void checkTypeMeta(String apiVersion, String kind) {
        MetadataBuilder.checkTypeMeta(apiVersion, kind, KIND);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Shorthand for {@code status().phase()}. */
    public ProjectPhase phase() {
        return status.phase();
    }

    public Project withMetadata(ObjectMeta newMetadata) {
        return new Project(newMetadata, spec, status);
    }

    public Project withSpec(ProjectSpec newSpec) {
        return new Project(metadata, newSpec, status);
    }

    public Project withStatus(ProjectStatus newStatus) {
        return new Project(metadata, spec, newStatus);
    }

    /**
     * Checks what a client may write: the name, label and annotation keys and values, and every rule
     * of the spec ({@link ProjectSpec#validate()}), except that {@code expireAt} lies in the future.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public Project validate() {
        metadata.validate();
        spec.validate();
        return this;
    }

    /**
     * {@link #validate()}, and that {@code spec.expireAt}, if set, lies after {@code now}: a project
     * created already expired would be torn down before it ran. Only a create checks it; an update
     * of an older project keeps the expiry it had.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public Project validateForCreate(Instant now) {
        validate();
        if (spec.expireAt() != null && !spec.expireAt().isAfter(now)) {
            throw new InvalidException("spec.expireAt", spec.expireAt().toString(),
                    "in the future (it is " + now + " now), or left out for a project that does not expire");
        }
        return this;
    }

    /**
     * Checks that an update from {@code current} to {@code proposed} changes the spec only while the
     * phase allows it (Pending or Failed); labels and annotations may change in any phase.
     *
     * @throws ConflictException naming the project and its phase
     */
    public static void checkSpecChange(Project current, Project proposed) {
        if (!current.spec.equals(proposed.spec) && !current.phase().specMutable()) {
            throw new ConflictException("project \"" + current.name() + "\" is " + current.phase()
                    + ": its spec may change only while it is Pending or Failed (labels and annotations may change"
                    + " at any time); delete it and create it again, or wait until it has failed");
        }
    }

    /** True when the client-written parts (labels, annotations, spec) are the same as {@code other}'s. */
    public boolean sameDesiredState(Project other) {
        return MetadataBuilder.sameClientWritten(metadata, other.metadata) && spec.equals(other.spec);
    }

    /**
     * Builds a project manifest. Each setter validates its input at once, with the field path a
     * manifest would have ({@code spec.services[1].name}); {@link #build()} checks what involves
     * several parts (that mounts and routes name declared volumes and services).
     */
    public static final class Builder extends ManifestBuilder<Builder> {
        private final List<ServiceSpec> services = new ArrayList<>();
        private final List<VolumeSpec> volumes = new ArrayList<>();
        private final List<IngressSpec> ingress = new ArrayList<>();
        private final Map<String, Quantity> requests = new LinkedHashMap<>();
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private Instant expireAt;

        private Builder(String name) {
            super(name);
        }

        /** Adds a service; its name must differ from every service added before. */
        public Builder service(ServiceSpec service) {
            addUnique("spec.services", "services", services, service, ServiceSpec::name, ServiceSpec::validate);
            return this;
        }

        /** Shorthand for a service with only a name and an image. */
        public Builder service(String serviceName, String image) {
            ServiceSpec service;
            try {
                service = ServiceSpec.builder(serviceName).image(image).build();
            } catch (InvalidException e) {
                throw e.under("spec.services[" + services.size() + "]");
            }
            return service(service);
        }

        public Builder volume(VolumeSpec volume) {
            addUnique("spec.volumes", "volumes", volumes, volume, VolumeSpec::name, VolumeSpec::validate);
            return this;
        }

        /** Shorthand for an ephemeral volume. */
        public Builder volume(String volumeName) {
            return volume(VolumeSpec.ephemeral(volumeName));
        }

        public Builder ingress(IngressSpec route) {
            addUnique("spec.ingress", "ingress routes", ingress, route, IngressSpec::name, IngressSpec::validate);
            return this;
        }

        /** The time after which the control plane tears the project down; {@code null} for never. */
        public Builder expireAt(Instant value) {
            this.expireAt = value;
            return this;
        }

        /** Asks the node for {@code amount} of {@code resource}, for example {@code request("cpu", "500m")}. */
        public Builder request(String resource, String amount) {
            Names.requireLabelKey("spec.resources.requests", resource);
            Quantity q;
            try {
                q = Quantity.parse(amount);
            } catch (InvalidException e) {
                throw new InvalidException("spec.resources.requests." + resource, amount, e.rule());
            }
            if (q.isNegative()) {
                throw new InvalidException("spec.resources.requests." + resource, amount, "zero or more");
            }
            requests.put(resource, q);
            return this;
        }

        /** Only nodes with this label may take the project. */
        public Builder nodeSelector(String key, String value) {
            Names.requireLabelKey("spec.nodeSelector", key);
            nodeSelector.put(key, Names.requireLabelValue("spec.nodeSelector." + key, Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * @throws InvalidException when no service was added, or a mount or route names a volume or
         *                          service that was not added
         */
        public Project build() {
            ProjectSpec spec = new ProjectSpec(services, volumes, ingress, expireAt,
                    new ResourceRequirements(ResourceList.of(requests)), nodeSelector);
            return new Project(metadata.build(), spec.validate(),
                    ProjectStatus.INITIAL);
        }

        // Validates item as element [n] of the list at path, checks that its name is new, and appends it.
        private static <T> void addUnique(String path, String what, List<T> items, T item, Function<T, String> name,
                                          UnaryOperator<T> validate) {
            String at = path + "[" + items.size() + "]";
            try {
                validate.apply(Objects.requireNonNull(item, what));
            } catch (InvalidException e) {
                throw e.under(at);
            }
            if (items.stream().map(name).anyMatch(name.apply(item)::equals)) {
                throw new InvalidException(at + ".name", name.apply(item), "unique among " + what);
            }
            items.add(item);
        }
    }
}
