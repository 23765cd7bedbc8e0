package dev.cara.sdk;

import java.util.Objects;
import java.util.function.Consumer;

/** {@link CaraClient} over a {@link ControlPlane} in the same JVM. */
final class InProcessClient implements CaraClient {
    private final ControlPlane controlPlane;

    InProcessClient(ControlPlane controlPlane) {
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
    }

    @Override
    public Node register(Node manifest) {
        return controlPlane.register(manifest);
    }

    @Override
    public Node get(String name) {
        return controlPlane.get(name);
    }

    @Override
    public NodeList list(LabelSelector selector) {
        return NodeList.of(controlPlane.list(selector));
    }

    @Override
    public Node update(Node manifest) {
        return controlPlane.update(manifest);
    }

    @Override
    public void delete(String name) {
        controlPlane.delete(name);
    }

    @Override
    public void heartbeat(String name, HeartbeatReport report) {
        controlPlane.heartbeat(name, report);
    }

    @Override
    public Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose) {
        return controlPlane.watch(selector, events, onClose);
    }

    // The project calls go to ControlPlane.projects(), which throws UnsupportedOperationException naming
    // the store when the control plane was built over a store that keeps no projects.

    @Override
    public Project createProject(Project manifest) {
        return controlPlane.projects().create(manifest);
    }

    @Override
    public Project getProject(String name) {
        return controlPlane.projects().get(name);
    }

    @Override
    public ProjectList listProjects(ProjectFilter filter) {
        return ProjectList.of(controlPlane.projects().list(filter));
    }

    @Override
    public Project updateProject(Project manifest) {
        return controlPlane.projects().update(manifest);
    }

    @Override
    public ProjectDeleteOutcome deleteProject(String name, boolean force) {
        return controlPlane.projects().delete(name, force);
    }

    @Override
    public Project reportProjectStatus(String name, ProjectStatusReport report) {
        // In one JVM there is no agent identity to check: the caller speaks for the node the project is bound to.
        return controlPlane.projects().reportStatusForItsNode(name, report);
    }

    @Override
    public Watch watchProjects(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
        return controlPlane.projects().watch(filter, events, onClose);
    }

    @Override
    public EventList listEvents(EventFilter filter) {
        return controlPlane.events(filter);
    }

    @Override
    public Watch watchEvents(EventFilter filter, Consumer<EventWatchEvent> events, Consumer<String> onClose) {
        return controlPlane.watchEvents(filter, events, onClose);
    }

    @Override
    public VersionInfo serverVersion() {
        return VersionInfo.current();
    }

    @Override
    public String target() {
        return "in-process";
    }
}
