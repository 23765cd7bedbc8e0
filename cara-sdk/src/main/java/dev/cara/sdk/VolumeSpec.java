package dev.cara.sdk;

/**
 * A named volume that a project's services can mount.
 *
 * @param name the volume's name, unique in the project
 * @param type how long it lives; never null ({@link VolumeType#EPHEMERAL} when not given)
 */
public record VolumeSpec(String name, VolumeType type) {
    public VolumeSpec {
        type = type == null ? VolumeType.EPHEMERAL : type;
    }

    public static VolumeSpec ephemeral(String name) {
        return new VolumeSpec(name, VolumeType.EPHEMERAL);
    }

    /**
     * Checks the name; field paths in the error are relative ({@code name}).
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public VolumeSpec validate() {
        Names.requireNodeName("name", name);
        return this;
    }
}
