package dev.cara.ctl;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectDeletion;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectList;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.VersionInfo;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The project half of the API for caractrl's tests, until the in-process client has the
 * ControlPlane's: projects in a map with the API's rules (409 when taken, compare-and-set on
 * resourceVersion, the spec fixed outside Pending and Failed, delete by {@link ProjectDeletion}).
 * Node calls go to the client it wraps. Guarded by its own monitor; watch sinks are called on the
 * writing thread.
 */
final class ProjectBook {
    private final Clock clock;
    private final Map<String, Project> projects = new TreeMap<>();
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private long version;
    /** True to answer every project call as a server from before projects does: 404, no such endpoint. */
    volatile boolean absent;

    private record Sink(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
    }

    ProjectBook(Clock clock) {
        this.clock = clock;
    }

    /** Stores {@code project} as given but for a new resourceVersion (tests set phases and nodes this way). */
    synchronized Project put(Project project) {
        Project stored = project.withMetadata(project.metadata().withResourceVersion(Long.toString(++version))
                .withTimes(project.metadata().createdAt() == null ? clock.instant() : project.metadata().createdAt(), clock.instant()));
        Project before = projects.put(stored.name(), stored);
        emit(before == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, stored);
        return stored;
    }

    synchronized Project get(String name) {
        Project p = projects.get(name);
        if (p == null) {
            throw new NotFoundException(name, "project \"" + name + "\" not found");
        }
        return p;
    }

    /** Ends every open watch, as a server that goes away does. */
    void endWatches(String reason) {
        sinks.forEach(s -> s.onClose().accept(reason));
        sinks.clear();
    }

    private void emit(WatchEvent.Type type, Project p) {
        sinks.stream().filter(s -> s.filter().test(p)).forEach(s -> s.events().accept(new ProjectWatchEvent(type, p)));
    }

    CaraClient over(CaraClient nodes) {
        return new CaraClient() {
            @Override
            public Project createProject(Project manifest) {
                synchronized (ProjectBook.this) {
                    if (projects.containsKey(manifest.name())) {
                        throw new AlreadyExistsException(manifest.name(), "project \"" + manifest.name() + "\" already exists");
                    }
                    return put(manifest.validateForCreate(clock.instant()).withStatus(ProjectStatus.INITIAL)
                            .withMetadata(manifest.metadata().withTimes(null, null)));
                }
            }

            @Override
            public Project getProject(String name) {
                return ProjectBook.this.get(name);
            }

            @Override
            public ProjectList listProjects(ProjectFilter filter) {
                if (absent) {
                    throw new NotFoundException(null, "no such endpoint; the API is under /api/v1 (nodes, nodes/{name},"
                            + " nodes/{name}/heartbeat, version)");
                }
                synchronized (ProjectBook.this) {
                    return ProjectList.of(projects.values().stream().filter(filter).toList());
                }
            }

            @Override
            public Project updateProject(Project manifest) {
                synchronized (ProjectBook.this) {
                    Project current = ProjectBook.this.get(manifest.name());
                    String expected = manifest.metadata().resourceVersion();
                    if (expected != null && !expected.equals(current.metadata().resourceVersion())) {
                        throw new ConflictException("project \"" + manifest.name() + "\" has changed: resourceVersion "
                                + expected + " is stale");
                    }
                    Project.checkSpecChange(current, manifest);
                    ObjectMeta m = manifest.metadata();
                    return put(current.withMetadata(current.metadata().withLabels(m.labels()).withAnnotations(m.annotations()))
                            .withSpec(manifest.spec()));
                }
            }

            @Override
            public ProjectDeleteOutcome deleteProject(String name, boolean force) {
                synchronized (ProjectBook.this) {
                    Project current = ProjectBook.this.get(name);
                    return switch (ProjectDeletion.of(current, force)) {
                        case REMOVE -> {
                            projects.remove(name);
                            emit(WatchEvent.Type.DELETED, current);
                            yield new ProjectDeleteOutcome.Removed(name);
                        }
                        case TERMINATE -> new ProjectDeleteOutcome.Terminating(put(current.withStatus(
                                ProjectDeletion.terminate(current, ProjectDeletion.DELETED, "deleted by a client", clock.instant()))));
                        case ALREADY_TERMINATING -> new ProjectDeleteOutcome.Terminating(current);
                    };
                }
            }

            @Override
            public Watch watchProjects(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
                Sink sink = new Sink(filter, events, onClose);
                synchronized (ProjectBook.this) {
                    projects.values().stream().filter(filter).forEach(p -> events.accept(new ProjectWatchEvent(WatchEvent.Type.ADDED, p)));
                    sinks.add(sink);
                }
                return new Watch() {
                    @Override
                    public boolean isOpen() {
                        return sinks.contains(sink);
                    }

                    @Override
                    public void close() {
                        sinks.remove(sink);
                    }
                };
            }

            @Override
            public Node register(Node manifest) {
                return nodes.register(manifest);
            }

            @Override
            public Node get(String name) {
                return nodes.get(name);
            }

            @Override
            public NodeList list(LabelSelector selector) {
                return nodes.list(selector);
            }

            @Override
            public Node update(Node manifest) {
                return nodes.update(manifest);
            }

            @Override
            public void delete(String name) {
                nodes.delete(name);
            }

            @Override
            public void heartbeat(String name, HeartbeatReport report) {
                nodes.heartbeat(name, report);
            }

            @Override
            public Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose) {
                return nodes.watch(selector, events, onClose);
            }

            @Override
            public dev.cara.sdk.EventList listEvents(dev.cara.sdk.EventFilter filter) {
                return nodes.listEvents(filter);
            }

            @Override
            public Watch watchEvents(dev.cara.sdk.EventFilter filter, Consumer<dev.cara.sdk.EventWatchEvent> events,
                                     Consumer<String> onClose) {
                return nodes.watchEvents(filter, events, onClose);
            }

            @Override
            public VersionInfo serverVersion() {
                return nodes.serverVersion();
            }

            @Override
            public String target() {
                return nodes.target();
            }

            @Override
            public void close() {
                nodes.close();
            }
        };
    }
}
