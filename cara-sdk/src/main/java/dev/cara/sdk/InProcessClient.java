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

    // TODO(issue 16, wiring): forward to ControlPlane's project API once it is merged; until then the
    // in-process client refuses the project calls instead of pretending to have none.

    @Override
    public Project createProject(Project manifest) {
        throw needsProjectApi();
    }

    @Override
    public Project getProject(String name) {
        throw needsProjectApi();
    }

    @Override
    public ProjectList listProjects(ProjectFilter filter) {
        throw needsProjectApi();
    }

    @Override
    public Project updateProject(Project manifest) {
        throw needsProjectApi();
    }

    @Override
    public ProjectDeleteOutcome deleteProject(String name, boolean force) {
        throw needsProjectApi();
    }

    @Override
    public Project reportProjectStatus(String name, ProjectStatusReport report) {
        throw needsProjectApi();
    }

    @Override
    public Watch watchProjects(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
        throw needsProjectApi();
    }

    private static UnsupportedOperationException needsProjectApi() {
        return new UnsupportedOperationException("the in-process client's project calls need the ControlPlane project API,"
                + " which this build does not have yet; use the HTTP client");
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
