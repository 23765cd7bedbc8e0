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

    /** This info with every field that {@code update} sets replaced. */
    public NodeInfo merge(NodeInfo update) {
        return new NodeInfo(
                update.kernelVersion != null ? update.kernelVersion : kernelVersion,
                update.osImage != null ? update.osImage : osImage,
                update.agentVersion != null ? update.agentVersion : agentVersion);
    }
}
