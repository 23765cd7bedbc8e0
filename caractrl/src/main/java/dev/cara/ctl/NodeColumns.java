package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Condition;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The columns of {@code get nodes}, computed from one node at one instant. */
final class NodeColumns {
    static final List<String> HEADERS = List.of("NAME", "STATE", "CONDITIONS", "AGE");
    static final List<String> WIDE_HEADERS = List.of("NAME", "STATE", "CONDITIONS", "AGE",
            "IP", "AGENT-PORT", "CPU", "MEMORY", "VERSION", "LAST-HEARTBEAT");
    static final String NONE = "<none>";
    static final String HEALTHY = "Healthy";
    static final Printer.Kind<Node> KIND = new Printer.Kind<>("node/", Node::name, NodeColumns::headers, NodeColumns::row,
            new int[]{16, 8, 16, 5, 15, 10, 5, 6, 14, 14}, CaraJson::toJson, nodes -> CaraJson.toJson(NodeList.of(nodes)));

    private NodeColumns() {
    }

    static List<String> headers(boolean wide) {
        return wide ? WIDE_HEADERS : HEADERS;
    }

    static List<String> row(Node node, boolean wide, Instant now) {
        List<String> row = new ArrayList<>(wide ? WIDE_HEADERS.size() : HEADERS.size());
        NodeStatus status = node.status();
        row.add(node.name());
        row.add(status.state().wireName());
        row.add(conditions(node));
        row.add(Ages.since(node.metadata().createdAt(), now));
        if (wide) {
            NetworkStatus net = status.network();
            row.add(orNone(net.ip()));
            row.add(net.agentPort() == null ? NONE : net.agentPort().toString());
            row.add(amount(status.capacity(), ResourceList.CPU));
            row.add(amount(status.capacity(), ResourceList.MEMORY));
            row.add(orNone(status.info().agentVersion()));
            row.add(status.lastHeartbeat() == null ? "<never>" : Ages.since(status.lastHeartbeat(), now));
        }
        return row;
    }

    /** The adverse conditions (any but Ready that hold), joined by commas, or {@code Healthy}. */
    static String conditions(Node node) {
        // A loop rather than adverseConditions() and a stream: this runs for every row, and a cold
        // (interpreted) stream pipeline costs tens of microseconds each time.
        StringBuilder adverse = new StringBuilder();
        for (Condition c : node.status().conditions()) {
            if (c.adverse()) {
                adverse.append(adverse.isEmpty() ? "" : ",").append(c.type());
            }
        }
        return adverse.isEmpty() ? HEALTHY : adverse.toString();
    }

    private static String amount(ResourceList resources, String name) {
        return resources.get(name).map(Quantity::toString).orElse(NONE);
    }

    static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
