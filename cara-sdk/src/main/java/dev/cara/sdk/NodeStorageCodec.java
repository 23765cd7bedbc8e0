package dev.cara.sdk;

import jakarta.json.JsonObject;

/**
 * The JSON a store keeps a node in: the wire format plus what the wire format leaves out, so that a
 * store restores a node exactly as it was written. Today that is the agent's last claim about itself
 * ({@code status.claim}: state, reason and message), which the state rule needs after a restart but
 * no client should see. A node without a claim is stored exactly as {@link CaraJson#toJson(Node)}
 * writes it.
 *
 * <p>A store writes with {@link #encode} and reads back with {@link #decode}; the wire readers
 * ignore {@code status.claim}. Stateless and thread-safe.
 */
public final class NodeStorageCodec {
    private NodeStorageCodec() {
    }

    /** The node, everything a store must keep included. */
    public static String encode(Node node) {
        return WireWriter.write(g -> {
            WireWriter.nodeWithOpenStatus(g, node);
            AgentClaim claim = node.status().claim();
            if (claim != null) {
                g.writeStartObject("claim");
                g.write("state", claim.state().wireName());
                WireWriter.string(g, "reason", claim.reason());
                WireWriter.string(g, "message", claim.message());
                g.writeEnd();
            }
            g.writeEnd(); // status
            g.writeEnd(); // node
        });
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws InvalidException if the text is not a stored node, naming the field and the rule
     */
    public static Node decode(String json) {
        JsonObject o = JsonText.STANDARD.object(json);
        Node node = WireReader.node(o);
        JsonObject status = JsonFields.object(o, "status", "status");
        JsonObject c = status == null ? null : JsonFields.object(status, "claim", "status.claim");
        if (c == null) {
            return node;
        }
        AgentClaim claim = new AgentClaim(
                NodeState.fromWire("status.claim.state", JsonFields.string(c, "state", "status.claim.state")),
                JsonFields.string(c, "reason", "status.claim.reason"),
                JsonFields.string(c, "message", "status.claim.message"));
        NodeStatus s = node.status();
        return node.withStatus(new NodeStatus(s.state(), s.network(), s.capacity(), s.allocatable(), s.info(),
                s.lastHeartbeat(), s.conditions(), claim));
    }
}
