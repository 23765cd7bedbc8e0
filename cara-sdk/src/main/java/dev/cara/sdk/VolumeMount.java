package dev.cara.sdk;

/**
 * Where a service sees one of its project's volumes.
 *
 * @param name      the name of a volume in {@code spec.volumes}
 * @param mountPath the absolute path inside the container, for example {@code /var/lib/postgresql/data}
 */
public record VolumeMount(String name, String mountPath) {
    static final String MOUNT_PATH_RULE = "an absolute path inside the container, for example /var/lib/data";

    /**
     * Checks the path; that {@code name} is a declared volume is the project's check, as only it knows
     * the volumes. Field paths in the error are relative ({@code mountPath}).
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public VolumeMount validate() {
        if (name == null || name.isEmpty()) {
            throw new InvalidException("name", null, "the name of a volume in spec.volumes");
        }
        if (mountPath == null || mountPath.isEmpty()) {
            throw new InvalidException("mountPath", null, MOUNT_PATH_RULE);
        }
        if (!mountPath.startsWith("/") || mountPath.chars().anyMatch(c -> c < 0x20 || c == ':')) {
            throw new InvalidException("mountPath", mountPath, MOUNT_PATH_RULE + ", without ':' or control characters");
        }
        return this;
    }
}
