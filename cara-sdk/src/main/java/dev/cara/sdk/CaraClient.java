package dev.cara.sdk;

import java.util.List;
import java.util.function.Consumer;

/**
 * How agents, the CLI and other programs talk to a control plane: the transport SPI. There are two
 * implementations: {@link #inProcess(ControlPlane)}, which calls a control plane in the same JVM
 * (for embedding and tests), and an HTTP one for a remote server. Both throw the same typed
 * exceptions: {@link NotFoundException}, {@link AlreadyExistsException}, {@link ConflictException},
 * {@link InvalidException}, and {@link UnavailableException} when the server cannot be reached.
 */
public interface CaraClient extends AutoCloseable {

    /** Registers a node. A new node starts NotReady. */
    Node register(Node manifest);

    Node get(String name);

    /** The nodes the selector matches, sorted by name. */
    NodeList list(LabelSelector selector);

    default NodeList list() {
        return list(LabelSelector.everything());
    }

    /**
     * Replaces a node's labels, annotations and spec. When the manifest carries
     * {@code metadata.resourceVersion}, the update is a compare-and-set on it.
     */
    Node update(Node manifest);

    void delete(String name);

    /** Sends a heartbeat. */
    void heartbeat(String name, HeartbeatReport report);

    /**
     * Streams changes: an ADDED event per matching node, then every change. Events arrive on a thread
     * of the client's; {@code onClose} is called once when the stream ends, with the reason.
     */
    Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose);

    // ------------------------------------------------------------------ projects
    // Defaults that refuse, so that a client written before projects (the agent's wrappers, test
    // doubles) still compiles; HttpCaraClient implements them all.

    /** Creates a project; it starts Pending. */
    default Project createProject(Project manifest) {
        throw projectsUnsupported();
    }

    default Project getProject(String name) {
        throw projectsUnsupported();
    }

    /** The projects the filter selects (phases ORed, the parts ANDed), sorted by name. */
    default ProjectList listProjects(ProjectFilter filter) {
        throw projectsUnsupported();
    }

    default ProjectList listProjects() {
        return listProjects(ProjectFilter.ALL);
    }

    /**
     * Replaces a project's labels, annotations and spec; the spec may change only while it is Pending
     * or Failed. When the manifest carries {@code metadata.resourceVersion}, the update is a
     * compare-and-set on it.
     */
    default Project updateProject(Project manifest) {
        throw projectsUnsupported();
    }

    /**
     * Deletes a project: removed at once when nothing runs it, else turned Terminating for its
     * node's agent to tear down. {@code force} removes the record at once whatever the phase
     * (containers on its node may be left behind).
     */
    default ProjectDeleteOutcome deleteProject(String name, boolean force) {
        throw projectsUnsupported();
    }

    /** An agent's report of what became of a project on its node; answers the project as updated. */
    default Project reportProjectStatus(String name, ProjectStatusReport report) {
        throw projectsUnsupported();
    }

    /**
     * Streams project changes: an ADDED event per selected project, then every change, as
     * {@link #watch} does for nodes.
     */
    default Watch watchProjects(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
        throw projectsUnsupported();
    }

    private UnsupportedOperationException projectsUnsupported() {
        return unsupported("project");
    }

    // ------------------------------------------------------------------ events

    /** The events {@code filter} selects, oldest first and newest last (at most its limit, the newest). */
    default EventList listEvents(EventFilter filter) {
        throw unsupported("event");
    }

    /**
     * Streams events: an ADDED event for each event the filter matches now, then each new event
     * (ADDED) and each repeat folded into one (MODIFIED).
     */
    default Watch watchEvents(EventFilter filter, Consumer<EventWatchEvent> events, Consumer<String> onClose) {
        throw unsupported("event");
    }

    private UnsupportedOperationException unsupported(String calls) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " does not implement the " + calls + " calls"
                + "; the SDK's HTTP and in-process clients do");
    }

    /** The control plane's version. */
    VersionInfo serverVersion();

    /** Where this client sends its calls, for messages: a URL, or {@code in-process}. */
    String target();

    @Override
    default void close() {
    }

    /** A client that calls a control plane in this JVM directly. */
    static CaraClient inProcess(ControlPlane controlPlane) {
        return new InProcessClient(controlPlane);
    }

    /** A client for the server at {@code baseUrl} (for example {@code http://localhost:8080}), with default timeouts. */
    static CaraClient http(java.net.URI baseUrl) {
        return httpBuilder().baseUrl(baseUrl).build();
    }

    /** Builds an HTTP client with chosen timeouts: {@code CaraClient.httpBuilder().baseUrl(url).build()}. */
    static HttpCaraClientBuilder httpBuilder() {
        return new HttpCaraClientBuilder();
    }
}
