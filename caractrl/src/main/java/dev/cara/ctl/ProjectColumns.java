package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectList;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The columns of {@code get projects}, computed from one project at one instant. */
final class ProjectColumns {
    static final List<String> HEADERS = List.of("NAME", "PHASE", "NODE", "SERVICES", "AGE", "EXPIRES");
    static final List<String> WIDE_HEADERS = List.of("NAME", "PHASE", "NODE", "SERVICES", "AGE", "EXPIRES",
            "IMAGES", "REQUESTS");
    static final Printer.Kind<Project> KIND = new Printer.Kind<>("project/", Project::name, ProjectColumns::headers,
            ProjectColumns::row, new int[]{16, 11, 16, 8, 5, 8, 20, 16}, CaraJson::toJson,
            projects -> CaraJson.toJson(ProjectList.of(projects)));

    private ProjectColumns() {
    }

    static List<String> headers(boolean wide) {
        return wide ? WIDE_HEADERS : HEADERS;
    }

    static List<String> row(Project project, boolean wide, Instant now) {
        List<String> row = new ArrayList<>(wide ? WIDE_HEADERS.size() : HEADERS.size());
        row.add(project.name());
        row.add(project.phase().wireName());
        row.add(NodeColumns.orNone(project.status().nodeRef()));
        row.add(Integer.toString(project.spec().services().size()));
        row.add(Ages.since(project.metadata().createdAt(), now));
        row.add(expires(project.spec().expireAt(), now));
        if (wide) {
            row.add(project.spec().services().stream().map(ServiceSpec::image).distinct().collect(Collectors.joining(",")));
            row.add(requests(project.spec().resources().requests()));
        }
        return row;
    }

    /** How long until {@code expireAt} ({@code 3d}), {@code expired} once past, {@code <none>} when unset. */
    static String expires(Instant expireAt, Instant now) {
        if (expireAt == null) {
            return NodeColumns.NONE;
        }
        return expireAt.isAfter(now) ? Ages.of(Duration.between(now, expireAt)) : "expired";
    }

    /** {@code cpu=500m,memory=1Gi}, or {@code <none>}. */
    static String requests(ResourceList requests) {
        if (requests.isEmpty()) {
            return NodeColumns.NONE;
        }
        return requests.amounts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
