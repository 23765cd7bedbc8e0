package dev.cara.sdk;

import java.util.Objects;

/**
 * A machine in the fleet: the {@code caravanserai/v1} {@code Node} resource.
 *
 * <p>Immutable. Use {@link #builder(String)} to write a manifest in code, and the {@code with*}
 * methods to derive changed copies.
 */
public record Node(String apiVersion, String kind, ObjectMeta metadata, NodeSpec spec, NodeStatus status) implements ApiObject {
    public static final String API_VERSION = "caravanserai/v1";
    public static final String KIND = "Node";

    public Node {
        apiVersion = apiVersion == null ? API_VERSION : apiVersion;
        kind = kind == null ? KIND : kind;
        Objects.requireNonNull(metadata, "metadata");
        spec = spec == null ? NodeSpec.EMPTY : spec;
        status = status == null ? NodeStatus.INITIAL : status;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Shorthand for {@code metadata().name()}. */
    public String name() {
        return metadata.name();
    }

    /** Shorthand for {@code status().state()}. */
    public NodeState state() {
        return status.state();
    }

    public Node withMetadata(ObjectMeta newMetadata) {
        return new Node(apiVersion, kind, newMetadata, spec, status);
    }

    public Node withSpec(NodeSpec newSpec) {
        return new Node(apiVersion, kind, metadata, newSpec, status);
    }

    public Node withStatus(NodeStatus newStatus) {
        return new Node(apiVersion, kind, metadata, spec, newStatus);
    }

    /**
     * Checks what a client may write: apiVersion {@code caravanserai/v1}, kind {@code Node}, the
     * name, and the label and annotation keys and values.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public Node validate() {
        MetadataBuilder.checkTypeMeta(apiVersion, kind, KIND);
        metadata.validate();
        return this;
    }

    /** True when the client-written parts (labels, annotations, spec) are the same as {@code other}'s. */
    public boolean sameDesiredState(Node other) {
        return MetadataBuilder.sameClientWritten(metadata, other.metadata) && spec.equals(other.spec);
    }

    /** Builds a node manifest. Each setter validates its input at once. */
    public static final class Builder extends ManifestBuilder<Builder> {
        private String hostname;
        private boolean unschedulable;

        private Builder(String name) {
            super(name);
        }

        public Builder hostname(String value) {
            this.hostname = value;
            return this;
        }

        public Builder unschedulable(boolean value) {
            this.unschedulable = value;
            return this;
        }

        public Node build() {
            return new Node(API_VERSION, KIND, metadata.build(),
                    new NodeSpec(hostname, unschedulable), NodeStatus.INITIAL);
        }
    }
}
