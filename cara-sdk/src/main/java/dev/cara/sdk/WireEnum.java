package dev.cara.sdk;

/**
 * An enum of the model whose constants have a spelling on the wire: by default the constant's name in
 * UpperCamelCase ({@code NOT_READY} is {@code NotReady}, {@code TRUE} is {@code True}), as Kubernetes
 * spells its enums. A constant spelled otherwise ({@link NetworkMode#DERP}) overrides {@link #wireName}.
 * One rule, so that a new wire enum cannot spell itself a new way by accident; renaming a constant
 * renames it on the wire, which the model's tests pin.
 */
public sealed interface WireEnum permits ConditionStatus, EventType, IngressSpec.Scope, InvolvedObject.Kind,
        NetworkMode, NodeState, ProjectPhase, VolumeType {

    /** The constant's Java name ({@link Enum#name()}). */
    String name();

    /** The spelling on the wire, which {@code fromWire} reads back and {@code toString} gives. */
    default String wireName() {
        return WireNames.derived(this);
    }
}
