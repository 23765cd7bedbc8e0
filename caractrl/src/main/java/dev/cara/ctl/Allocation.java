package dev.cara.ctl;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeAllocation;
import dev.cara.sdk.Project;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code describe node}'s last two sections, as kubectl's "Non-terminated Pods" and "Allocated
 * resources": the projects bound to the node, and what those that hold it reserve against what it
 * can allocate. Computed here from {@code listProjects(nodeRef=NAME)} and the node's
 * {@code status.allocatable}, so that no server endpoint is needed for it.
 */
final class Allocation {
    private Allocation() {
    }

    /** The projects bound to {@code node} (as listed by nodeRef) and the requests of those that hold it. */
    static NodeAllocation of(Node node, List<Project> bound) {
        List<Project> projects = bound.stream().filter(p -> node.name().equals(p.status().nodeRef()))
                .sorted(Comparator.comparing(Project::name)).toList();
        ResourceList reserved = ResourceList.EMPTY;
        for (Project p : projects) {
            if (p.phase().holdsNode()) { // Pending and Failed ones keep a stale nodeRef at most; they reserve nothing
                reserved = reserved.plus(p.spec().resources().requests());
            }
        }
        return new NodeAllocation(node, projects, reserved, node.status().allocatable());
    }

    static void render(StringBuilder sb, NodeAllocation a, Instant now) {
        sb.append("Projects:").append(a.projects().isEmpty() ? "" : " (" + a.projects().size() + " in total)").append('\n');
        if (a.projects().isEmpty()) {
            sb.append("  <none>\n");
        } else {
            TextTable table = new TextTable(List.of("NAME", "PHASE", "REQUESTS", "AGE"));
            for (Project p : a.projects()) {
                table.add(List.of(p.name(), p.phase().wireName(), ProjectColumns.requests(p.spec().resources().requests()),
                        Ages.since(p.metadata().createdAt(), now)));
            }
            NodeDescription.indented(sb, table);
        }
        sb.append("Allocated resources:\n");
        TreeSet<String> resources = new TreeSet<>(a.allocatable().amounts().keySet());
        resources.addAll(a.reserved().amounts().keySet());
        if (resources.isEmpty()) {
            sb.append("  <none>\n");
            return;
        }
        TextTable table = new TextTable(List.of("RESOURCE", "RESERVED", "ALLOCATABLE"));
        for (String r : resources) {
            Quantity reserved = a.reserved().get(r).orElse(Quantity.ZERO);
            Optional<Quantity> allocatable = a.allocatable().get(r);
            table.add(List.of(r, reserved + allocatable.map(total -> " (" + percent(reserved, total) + ")").orElse(""),
                    allocatable.map(Quantity::toString).orElse(NodeColumns.NONE)));
        }
        NodeDescription.indented(sb, table);
    }

    /** Whole percent, rounded down as kubectl does; over 100 when the node is over-committed. */
    static String percent(Quantity part, Quantity whole) {
        if (whole.isZero()) {
            return part.isZero() ? "0%" : "over 100%";
        }
        return part.value().multiply(BigDecimal.valueOf(100)).divide(whole.value(), 0, RoundingMode.DOWN) + "%";
    }
}
