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
        return NodeApplier.apply("project", manifest, client::getProject, client::createProject,
                Project::sameDesiredState, (current, metadata) -> {
                    Project desired = current.withMetadata(metadata).withSpec(manifest.spec());
                    // Refused here, naming the phase; a conflict from the server is a newer version, or
                    // the phase moved on since the read: the next round reads both again.
                    Project.checkSpecChange(current, desired);
                    return desired;
                }, client::updateProject);
    }
}
