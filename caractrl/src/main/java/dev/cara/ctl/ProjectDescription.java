package dev.cara.ctl;

import dev.cara.sdk.EnvVar;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.VolumeMount;
import dev.cara.sdk.VolumeSpec;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static dev.cara.ctl.NodeDescription.field;

/** The page {@code describe project} prints: spec, services, volumes, ingress, status and conditions. */
final class ProjectDescription {
    private ProjectDescription() {
    }

    static String render(Project project, Instant now) {
        StringBuilder sb = new StringBuilder(1024);
        ObjectMeta meta = project.metadata();
        ProjectSpec spec = project.spec();
        field(sb, "", "Name:", meta.name());
        NodeDescription.map(sb, "Labels:", meta.labels());
        NodeDescription.map(sb, "Annotations:", meta.annotations());
        field(sb, "", "Created:", NodeDescription.timeAndAge(meta.createdAt(), now));
        field(sb, "", "Updated:", NodeDescription.timeAndAge(meta.updatedAt(), now));
        field(sb, "", "Resource Version:", NodeColumns.orNone(meta.resourceVersion()));

        sb.append("Spec:\n");
        field(sb, "  ", "Expire At:", spec.expireAt() == null ? NodeColumns.NONE
                : spec.expireAt().truncatedTo(ChronoUnit.SECONDS) + " (" + expiresIn(spec.expireAt(), now) + ")");
        field(sb, "  ", "Requests:", ProjectColumns.requests(spec.resources().requests()));
        field(sb, "  ", "Node Selector:", spec.nodeSelector().isEmpty() ? NodeColumns.NONE
                : String.join(",", spec.nodeSelector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));

        sb.append("Services:\n");
        for (ServiceSpec s : spec.services()) {
            sb.append("  ").append(s.name()).append(":\n");
            field(sb, "    ", "Image:", s.image());
            entries(sb, "Environment:", s.env().stream().map((EnvVar e) -> e.name() + "=" + e.value()).toList());
            entries(sb, "Mounts:", s.volumeMounts().stream().map((VolumeMount m) -> m.mountPath() + " from " + m.name()).toList());
        }
        table(sb, "Volumes:", List.of("NAME", "TYPE"), spec.volumes().stream()
                .map((VolumeSpec v) -> List.of(v.name(), v.type().wireName())).toList());
        table(sb, "Ingress:", List.of("NAME", "HOST", "TARGET", "ACCESS"), spec.ingress().stream()
                .map((IngressSpec r) -> List.of(r.name(), r.host(), r.target().service() + ":" + r.target().port(),
                        r.access().scope().wireName())).toList());

        sb.append("Status:\n");
        field(sb, "  ", "Phase:", project.phase().wireName());
        field(sb, "  ", "Node:", NodeColumns.orNone(project.status().nodeRef()));
        NodeDescription.conditions(sb, project.status().conditions(), now);
        return sb.toString();
    }

    private static String expiresIn(Instant expireAt, Instant now) {
        String left = ProjectColumns.expires(expireAt, now);
        return "expired".equals(left) ? left : "in " + left;
    }

    /** A service's list: its label alone, then one entry a line below it; or the label and {@code <none>}. */
    private static void entries(StringBuilder sb, String label, List<String> entries) {
        if (entries.isEmpty()) {
            field(sb, "    ", label, NodeColumns.NONE);
            return;
        }
        sb.append("    ").append(label).append('\n');
        entries.forEach(e -> sb.append("      ").append(e).append('\n'));
    }

    private static void table(StringBuilder sb, String label, List<String> headers, List<List<String>> rows) {
        sb.append(label).append('\n');
        if (rows.isEmpty()) {
            sb.append("  <none>\n");
            return;
        }
        TextTable table = new TextTable(headers);
        rows.forEach(table::add);
        NodeDescription.indented(sb, table);
    }
}
