package dev.cara.sdk;

/**
 * The JSON a store keeps a project in: everything, metadata and status included, so that a store
 * restores a project exactly as it was written. Today that is exactly the wire form (a project has
 * nothing that clients must not see), but stores write and read through this class, so that the day
 * a project carries such a field it is added here, as {@link NodeStorageCodec} adds the agent's claim,
 * without touching any store. Stateless and thread-safe.
 */
public final class ProjectStorageCodec {
    private ProjectStorageCodec() {
    }

    /** The project, everything a store must keep included. */
    public static String encode(Project project) {
        return WireWriter.write(g -> ProjectWriter.project(g, project));
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws InvalidException if the text is not a stored project, naming the field and the rule
     */
    public static Project decode(String json) {
        return ProjectReader.project(JsonText.STANDARD.object(json));
    }
}
