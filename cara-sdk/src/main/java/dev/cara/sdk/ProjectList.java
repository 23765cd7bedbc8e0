package dev.cara.sdk;

import java.util.List;

/**
 * A list of projects as the API returns it: {@code {apiVersion, kind: ProjectList, items: []}}
 * ({@code apiVersion} and {@code kind} implied, as for {@link Project}).
 *
 * @param items never null
 */
public record ProjectList(List<Project> items) {
    public static final String KIND = "ProjectList";

    public ProjectList {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public static ProjectList of(List<Project> items) {
        return new ProjectList(items);
    }

    public String apiVersion() {
        return Project.API_VERSION;
    }

    public String kind() {
        return KIND;
    }
}
