package dev.cara.sdk.testkit;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.EnvVar;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ResourceRequirements;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.VolumeMount;
import dev.cara.sdk.VolumeSpec;

import java.util.List;
import java.util.Map;

import static dev.cara.sdk.testkit.StoreFixtures.T0;

/**
 * Projects and statuses the project contract writes; public so that a backend's own tests can use
 * them. They fill every field a store has to keep (two services with variables and mounts, a volume,
 * a route, the expiry, requests, a node selector, conditions), so that a backend that drops or
 * mangles a field fails the kit. Timestamps are whole milliseconds.
 */
public final class ProjectFixtures {
    private ProjectFixtures() {
    }

    /** A project as the API would hand it to a store: times set, Pending, no resourceVersion. */
    public static Project project(String name) {
        return project(name, Map.of("team", "kit"));
    }

    public static Project project(String name, Map<String, String> labels) {
        ObjectMeta meta = new ObjectMeta(name, labels, Map.of("note", "written by the contract kit"), T0, T0, null);
        return new Project(meta, spec("nginx:alpine"), ProjectStatus.INITIAL);
    }

    /** A full spec whose web service runs {@code image}: specs with different images differ. */
    public static ProjectSpec spec(String image) {
        ServiceSpec web = new ServiceSpec("web", image, List.of(new EnvVar("MODE", "kit"), new EnvVar("EMPTY", "")),
                List.of(new VolumeMount("data", "/var/lib/data")));
        ServiceSpec db = new ServiceSpec("db", "postgres:17", List.of(), List.of(new VolumeMount("data", "/srv")));
        return new ProjectSpec(List.of(web, db), List.of(VolumeSpec.ephemeral("data")),
                List.of(IngressSpec.of("site", "site.example.com", "web", 8080)), T0.plusSeconds(86_400),
                ResourceRequirements.requests(Map.of("cpu", "500m", "memory", "1Gi")), Map.of("zone", "a"));
    }

    /** A status that differs from every other {@code status(phase, node, n)}. */
    public static ProjectStatus status(ProjectPhase phase, String node, int n) {
        return new ProjectStatus(phase, node, List.of(
                new Condition(ProjectStatus.PHASE, ConditionStatus.TRUE, "Kit" + n, "status number " + n, null, T0.plusSeconds(n)),
                new Condition(ProjectStatus.SCHEDULED, ConditionStatus.of(node != null), "KitScheduled", null, null, T0)));
    }

    /** The project's resourceVersion, failing clearly when the store left it unset. */
    public static String version(Project project) {
        return StoreFixtures.version("project", project.metadata());
    }

    /** The project with its resourceVersion removed, to compare contents whatever the version. */
    public static Project withoutVersion(Project project) {
        return project.withMetadata(project.metadata().withResourceVersion(null));
    }
}
