package dev.cara.sdk;

import java.util.Objects;

/**
 * Writes a project's desired state declaratively over any {@link CaraClient}, as {@link NodeApplier}
 * does for nodes: {@link #apply} creates the project, or replaces its labels, annotations and spec.
 *
 * <p>Each write is a read-modify-write guarded by the {@code resourceVersion} just read; a 409 for a
 * newer version is redone from a fresh read, at most {@link NodeApplier#ATTEMPTS} times, unless the
 * manifest pins its own resourceVersion. A spec change is refused before sending when the project's
 * phase forbids it (only Pending and Failed projects take a new spec), naming the phase, since no
 * retry would help.
 */
public final class ProjectApplier {
    private final CaraClient client;

    public ProjectApplier(CaraClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Creates the project, or replaces its labels, annotations and spec with the manifest's.
     *
     * @throws ConflictException when the spec may not change in the project's phase, the manifest pins
     *                           a stale resourceVersion, or the project kept changing
     */
    public NodeApplier.Outcome apply(Project manifest) {
        String name = manifest.name();
        String pinnedVersion = manifest.metadata().resourceVersion();
        for (int attempt = 1; attempt <= NodeApplier.ATTEMPTS; attempt++) {
            Project current;
            try {
                current = client.getProject(name);
            } catch (NotFoundException e) {
                try {
                    client.createProject(manifest);
                    return NodeApplier.Outcome.CREATED;
                } catch (AlreadyExistsException raced) {
                    continue; // created meanwhile: update it instead
                }
            }
            if (current.sameDesiredState(manifest)) {
                return NodeApplier.Outcome.UNCHANGED;
            }
            ObjectMeta m = current.metadata();
            Project desired = current.withMetadata(new ObjectMeta(name, manifest.metadata().labels(),
                            manifest.metadata().annotations(), m.createdAt(), m.updatedAt(),
                            pinnedVersion != null ? pinnedVersion : m.resourceVersion()))
                    .withSpec(manifest.spec());
            Project.checkSpecChange(current, desired);
            // A conflict here is a newer version, or the phase moved on: the next round reads both again.
            if (NodeApplier.wrote(() -> client.updateProject(desired), pinnedVersion != null)) {
                return NodeApplier.Outcome.CONFIGURED;
            }
        }
        throw new ConflictException("project \"" + name + "\" kept changing while it was being written ("
                + NodeApplier.ATTEMPTS + " attempts, each refused for a newer resourceVersion); try again");
    }
}
