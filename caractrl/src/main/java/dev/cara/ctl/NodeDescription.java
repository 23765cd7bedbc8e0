package dev.cara.ctl;

import dev.cara.sdk.Condition;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeAllocation;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.ResourceList;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The page {@code describe node} prints: every part of a node, for a person to read, then the
 * projects bound to it and what they reserve ({@link Allocation}).
 */
final class NodeDescription {
    private static final int LABEL_WIDTH = 18;

    private NodeDescription() {
    }

    static String render(Node node, Instant now) {
        return render(node, null, now);
    }

    /** @param allocation the projects on the node and what they reserve, or null to leave those sections out */
    static String render(Node node, NodeAllocation allocation, Instant now) {
        StringBuilder sb = new StringBuilder(1024);
        ObjectMeta meta = node.metadata();
        NodeStatus status = node.status();
        field(sb, "", "Name:", meta.name());
        map(sb, "Labels:", meta.labels());
        map(sb, "Annotations:", meta.annotations());
        field(sb, "", "Created:", timeAndAge(meta.createdAt(), now));
        field(sb, "", "Updated:", timeAndAge(meta.updatedAt(), now));
        field(sb, "", "Resource Version:", NodeColumns.orNone(meta.resourceVersion()));

        sb.append("Spec:\n");
        field(sb, "  ", "Hostname:", NodeColumns.orNone(node.spec().hostname()));
        field(sb, "  ", "Unschedulable:", Boolean.toString(node.spec().unschedulable()));

        sb.append("Status:\n");
        field(sb, "  ", "State:", status.state().wireName());
        field(sb, "  ", "Conditions:", NodeColumns.conditions(node));
        field(sb, "  ", "Last Heartbeat:", status.lastHeartbeat() == null ? "<never>" : timeAndAge(status.lastHeartbeat(), now));

        NetworkStatus net = status.network();
        sb.append("Network:\n");
        field(sb, "  ", "IP:", NodeColumns.orNone(net.ip()));
        field(sb, "  ", "DNS Name:", NodeColumns.orNone(net.dnsName()));
        field(sb, "  ", "Mode:", net.mode() == null ? NodeColumns.NONE : net.mode().wireName());
        field(sb, "  ", "Agent Port:", net.agentPort() == null ? NodeColumns.NONE : net.agentPort().toString());

        resources(sb, "Capacity:", status.capacity());
        resources(sb, "Allocatable:", status.allocatable());

        NodeInfo info = status.info();
        sb.append("Info:\n");
        field(sb, "  ", "Kernel Version:", NodeColumns.orNone(info.kernelVersion()));
        field(sb, "  ", "OS Image:", NodeColumns.orNone(info.osImage()));
        field(sb, "  ", "Agent Version:", NodeColumns.orNone(info.agentVersion()));

        conditions(sb, status.conditions(), now);
        if (allocation != null) {
            Allocation.render(sb, allocation, now);
        }
        return sb.toString();
    }

    /** A {@code Conditions:} section: a table of the conditions, indented, or {@code <none>}. */
    static void conditions(StringBuilder sb, List<Condition> conditions, Instant now) {
        sb.append("Conditions:\n");
        if (conditions.isEmpty()) {
            sb.append("  <none>\n");
            return;
        }
        TextTable table = new TextTable(List.of("TYPE", "STATUS", "REASON", "MESSAGE", "LAST TRANSITION"));
        for (Condition c : conditions) {
            table.add(List.of(c.type(), c.status().wireName(), NodeColumns.orNone(c.reason()),
                    NodeColumns.orNone(c.message()), Ages.since(c.lastTransitionTime(), now)));
        }
        indented(sb, table);
    }

    /** A table, each line indented by two spaces. */
    static void indented(StringBuilder sb, TextTable table) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        table.print(pw);
        pw.flush();
        sw.toString().lines().forEach(line -> sb.append("  ").append(line).append('\n'));
    }

    static void field(StringBuilder sb, String indent, String label, String value) {
        field(sb, indent, label, value, LABEL_WIDTH);
    }

    static void field(StringBuilder sb, String indent, String label, String value, int width) {
        sb.append(indent).append(label);
        sb.repeat(' ', Math.max(1, width - indent.length() - label.length()));
        sb.append(value).append('\n');
    }

    static void map(StringBuilder sb, String label, Map<String, String> entries) {
        if (entries.isEmpty()) {
            field(sb, "", label, NodeColumns.NONE);
            return;
        }
        boolean first = true;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            field(sb, "", first ? label : "", e.getKey() + "=" + e.getValue());
            first = false;
        }
    }

    private static void resources(StringBuilder sb, String label, ResourceList resources) {
        sb.append(label).append('\n');
        if (resources.isEmpty()) {
            sb.append("  <none>\n");
            return;
        }
        // Amounts line up within the section even when a name (ephemeral-storage) outgrows the labels.
        int longest = resources.amounts().keySet().stream().mapToInt(String::length).max().orElse(0);
        int width = Math.max(LABEL_WIDTH, "  ".length() + longest + ":".length() + 1);
        resources.amounts().forEach((name, q) -> field(sb, "  ", name + ":", q.toString(), width));
    }

    static String timeAndAge(Instant t, Instant now) {
        // Whole seconds: the stored nanoseconds are noise to a reader (-o json has them exactly).
        return t == null ? NodeColumns.NONE : t.truncatedTo(ChronoUnit.SECONDS) + " (" + Ages.since(t, now) + " ago)";
    }
}
