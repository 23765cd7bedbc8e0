package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventList;
import dev.cara.sdk.EventWatchEvent;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectList;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.VersionInfo;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link CaraClient} that passes every call, the project calls included, to another one; a
 * wrapper overrides only the calls it measures or changes. Without this base every wrapper would
 * repeat the whole forwarding list, and one written before a new call (as the project calls were)
 * would silently refuse it through {@link CaraClient}'s defaults.
 *
 * <p>Holds no state beyond the delegate; thread-safe as far as the delegate is.
 */
abstract class ForwardingClient implements CaraClient {
    protected final CaraClient delegate;

    ForwardingClient(CaraClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Node register(Node manifest) {
        return delegate.register(manifest);
    }

    @Override
    public Node get(String name) {
        return delegate.get(name);
    }

    @Override
    public NodeList list(LabelSelector selector) {
        return delegate.list(selector);
    }

    @Override
    public Node update(Node manifest) {
        return delegate.update(manifest);
    }

    @Override
    public void delete(String name) {
        delegate.delete(name);
    }

    @Override
    public void heartbeat(String name, HeartbeatReport report) {
        delegate.heartbeat(name, report);
    }

    @Override
    public Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose) {
        return delegate.watch(selector, events, onClose);
    }

    @Override
    public Project createProject(Project manifest) {
        return delegate.createProject(manifest);
    }

    @Override
    public Project getProject(String name) {
        return delegate.getProject(name);
    }

    @Override
    public ProjectList listProjects(ProjectFilter filter) {
        return delegate.listProjects(filter);
    }

    @Override
    public Project updateProject(Project manifest) {
        return delegate.updateProject(manifest);
    }

    @Override
    public ProjectDeleteOutcome deleteProject(String name, boolean force) {
        return delegate.deleteProject(name, force);
    }

    @Override
    public Project reportProjectStatus(String name, ProjectStatusReport report) {
        return delegate.reportProjectStatus(name, report);
    }

    @Override
    public Watch watchProjects(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
        return delegate.watchProjects(filter, events, onClose);
    }

    @Override
    public EventList listEvents(EventFilter filter) {
        return delegate.listEvents(filter);
    }

    @Override
    public Watch watchEvents(EventFilter filter, Consumer<EventWatchEvent> events, Consumer<String> onClose) {
        return delegate.watchEvents(filter, events, onClose);
    }

    @Override
    public VersionInfo serverVersion() {
        return delegate.serverVersion();
    }

    @Override
    public String target() {
        return delegate.target();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
