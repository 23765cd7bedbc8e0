package dev.cara.sdk;

/**
 * Facts about the host and the agent, as the agent reports them. Absent fields are {@code null}.
 */
public record NodeInfo(String kernelVersion, String osImage, String agentVersion) {
    public static final NodeInfo EMPTY = new NodeInfo(null, null, null);

    public NodeInfo {
        kernelVersion = Condition.blankToNull(kernelVersion);
        osImage = Condition.blankToNull(osImage);
        agentVersion = Condition.blankToNull(agentVersion);
    }

    public boolean isEmpty() {
        return kernelVersion == null && osImage == null && agentVersion == null;
    }
}
