package dev.cara.sdk.spi;

import dev.cara.sdk.Project;

import java.util.Objects;

/**
 * One entry of a {@link ProjectStore}'s change feed.
 *
 * @param revision the store revision of this write
 * @param type     what happened, as in the node feed
 * @param project  the project after the change; for {@link Change.Type#DELETED}, the project just before
 */
public record ProjectChange(long revision, Change.Type type, Project project) {
    public ProjectChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(project, "project");
    }
}
