package dev.cara.sdk;

/**
 * How to reach a node: its overlay IP, DNS name, connection mode and the agent's port.
 * Absent fields are {@code null}. A heartbeat merges this field by field.
 */
public record NetworkStatus(String ip, String dnsName, NetworkMode mode, Integer agentPort) {
    public static final NetworkStatus EMPTY = new NetworkStatus(null, null, null, null);

    public NetworkStatus {
        ip = Condition.blankToNull(ip);
        dnsName = Condition.blankToNull(dnsName);
        if (agentPort != null && (agentPort < 1 || agentPort > 65535)) {
            throw new InvalidException("status.network.agentPort", agentPort.toString(), "a TCP port from 1 to 65535");
        }
    }

    public boolean isEmpty() {
        return ip == null && dnsName == null && mode == null && agentPort == null;
    }

    /** This network with every field that {@code update} sets replaced, and the rest kept. */
    public NetworkStatus merge(NetworkStatus update) {
        return new NetworkStatus(
                update.ip != null ? update.ip : ip,
                update.dnsName != null ? update.dnsName : dnsName,
                update.mode != null ? update.mode : mode,
                update.agentPort != null ? update.agentPort : agentPort);
    }
}
