package dev.cara.store.jdbc;

import dev.cara.sdk.Condition;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStorageCodec;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.ObjectMeta;

import java.util.List;

/**
 * Turns nodes into the two JSON columns and back: {@code meta_json} (apiVersion, kind, metadata,
 * spec) and {@code status_json} (status only), so that a heartbeat writes only the second. Both use
 * the SDK's storage codec, which also keeps the agent's last claim.
 */
final class NodeCodec {
    /** Status is stored as a minimal node around it, because the SDK's storage codec reads whole nodes. */
    private static final ObjectMeta STATUS_ENVELOPE = ObjectMeta.named("s");

    private NodeCodec() {
    }

    static String metaJson(Node node) {
        return NodeStorageCodec.encode(node.withStatus(NodeStatus.INITIAL));
    }

    static String statusJson(NodeStatus status) {
        return NodeStorageCodec.encode(new Node(null, null, STATUS_ENVELOPE, null, status));
    }

    static String nodeJson(Node node) {
        return NodeStorageCodec.encode(node);
    }

    static Node decode(String metaJson, String statusJson, long resourceVersion) {
        Node meta = NodeStorageCodec.decode(metaJson);
        NodeStatus status = NodeStorageCodec.decode(statusJson).status();
        return new Node(meta.apiVersion(), meta.kind(),
                meta.metadata().withResourceVersion(Long.toString(resourceVersion)), meta.spec(), status);
    }

    static Node decodeWhole(String nodeJson) {
        return NodeStorageCodec.decode(nodeJson);
    }

    /**
     * Whether going from {@code before} to {@code after} is a state transition: the state or some
     * condition's status changes. A leader writes those at once, fenced in the same transaction;
     * anything else (a heartbeat refreshing facts and times) may wait for the next batch.
     */
    static boolean isTransition(NodeStatus before, NodeStatus after) {
        return before.state() != after.state() || !statuses(before.conditions()).equals(statuses(after.conditions()));
    }

    private static List<String> statuses(List<Condition> conditions) {
        return conditions.stream().map(c -> c.type() + "=" + c.status()).sorted().toList();
    }
}
