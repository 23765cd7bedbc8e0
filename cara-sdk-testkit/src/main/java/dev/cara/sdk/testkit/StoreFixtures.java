package dev.cara.sdk.testkit;

import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.ResourceList;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Nodes and statuses the contract kit writes; public so that a backend's own extra tests can use
 * them too. They fill every field a store has to keep (labels, annotations, spec, timestamps,
 * resources, conditions, the agent's claim), so that a backend that drops or mangles a field fails
 * the kit. Timestamps are whole milliseconds, so the kit tests no finer precision than that.
 */
public final class StoreFixtures {
    /** The wall-clock origin of every timestamp the kit writes. */
    public static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    private StoreFixtures() {
    }

    /** A node as {@code ControlPlane.register} would hand it to a store: times set, no resourceVersion. */
    public static Node node(String name) {
        return node(name, Map.of("zone", "a"), NodeSpec.EMPTY);
    }

    public static Node node(String name, Map<String, String> labels, NodeSpec spec) {
        ObjectMeta meta = new ObjectMeta(name, labels, Map.of("note", "written by the contract kit"),
                T0, T0, null);
        return new Node(Node.API_VERSION, Node.KIND, meta, spec, NodeStatus.INITIAL);
    }

    /**
     * A status that differs from every other {@code status(n)}: {@code n} shows in the heartbeat
     * time, so a test can also count status writes by reading it back ({@link #statusCount}).
     */
    public static NodeStatus status(int n) {
        Instant beat = T0.plusSeconds(n);
        return new NodeStatus(n % 2 == 0 ? NodeState.READY : NodeState.NOT_READY,
                new NetworkStatus("10.0.0." + (n % 250 + 1), "node.example", NetworkMode.DIRECT, 7946),
                ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")),
                ResourceList.parse(Map.of("cpu", "3500m", "memory", "7Gi")),
                new NodeInfo("6.1.0", "Debian 12", "0.1.0"),
                beat,
                List.of(new Condition(Condition.READY, n % 2 == 0 ? ConditionStatus.TRUE : ConditionStatus.FALSE,
                        "KitReason", "status number " + n, beat, T0)),
                new AgentClaim(NodeState.READY, "Reported", "claim " + n));
    }

    /** The {@code n} of a status written by {@link #status(int)}, or 0 for the initial status. */
    public static int statusCount(NodeStatus status) {
        return status.lastHeartbeat() == null ? 0 : (int) (status.lastHeartbeat().getEpochSecond() - T0.getEpochSecond());
    }

    /** The node's resourceVersion, failing clearly when the store left it unset. */
    public static String version(Node node) {
        return version("node", node.metadata());
    }

    /** The resourceVersion of an object of {@code kind} (node, project) as a store returned it. */
    static String version(String kind, ObjectMeta metadata) {
        String version = metadata.resourceVersion();
        if (version == null || version.isBlank()) {
            throw new AssertionError("the store returned " + kind + " \"" + metadata.name()
                    + "\" without metadata.resourceVersion; create and update must set it");
        }
        return version;
    }

    /** The node with its resourceVersion removed, to compare contents whatever the version. */
    public static Node withoutVersion(Node node) {
        return node.withMetadata(node.metadata().withResourceVersion(null));
    }
}
