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

    // TODO(issue 16, wiring): forward the project calls to ControlPlane's project API once it is merged;
    // until then they are CaraClient's defaults, which refuse with UnsupportedOperationException naming
    // this class, instead of pretending that there are no projects.

    @Override
    public VersionInfo serverVersion() {
        return VersionInfo.current();
    }

    @Override
    public String target() {
        return "in-process";
    }
}
