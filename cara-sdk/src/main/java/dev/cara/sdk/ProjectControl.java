package dev.cara.sdk;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The control plane's project API, {@link ControlPlane#projects()}: what the server's
 * {@code /api/v1/projects} routes and the agent's status reports call. Clients' writes (create,
 * update, delete, an agent's report) are unfenced, as a client's node writes are; the controllers'
 * own decisions (bindings, rescheduling, expiry) are the leader's and fenced ({@link ProjectControllers}).
 *
 * <p>Thread-safe and stateless apart from its watch hub: the store owns the projects, and every
 * change is one atomic read-modify-write there.
 */
public final class ProjectControl {
    private static final Logger LOG = Logger.getLogger(ProjectControl.class.getName());
    /** A delete re-reads this often when the project keeps changing under it (a binding, a report). */
    static final int DELETE_ATTEMPTS = 10;

    private final ProjectStore store;
    private final NodeStore nodes;
    private final Clock clock;
    private final WatchHub<Project, ProjectWatchEvent> watches;

    ProjectControl(ProjectStore store, NodeStore nodes, Clock clock) {
        this.store = store;
        this.nodes = nodes;
        this.clock = clock;
        this.watches = WatchHub.projects(store);
    }

    /**
     * Creates a project from a manifest. Its status is ignored: a new project starts Pending on no node,
     * and the scheduler binds it.
     *
     * @throws InvalidException       if the manifest breaks a rule, or its {@code spec.expireAt} is not in the future
     * @throws AlreadyExistsException if the name is taken
     */
    public Project create(Project manifest) {
        Instant now = clock.instant();
        Objects.requireNonNull(manifest, "manifest").validateForCreate(now);
        ObjectMeta m = manifest.metadata();
        return store.create(new Project(new ObjectMeta(m.name(), m.labels(), m.annotations(), now, now, null),
                manifest.spec(), ProjectStatus.INITIAL));
    }

    /** @throws NotFoundException if there is no such project */
    public Project get(String name) {
        return store.get(name).orElseThrow(() -> notFound(name));
    }

    /** The projects the filter selects, sorted by name. */
    public List<Project> list(ProjectFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<Project> candidates = filter.nodeRef() != null ? store.listOnNode(filter.nodeRef()) : store.list().projects();
        return filter.equals(ProjectFilter.ALL) ? candidates : candidates.stream().filter(filter).toList();
    }

    /**
     * Replaces a project's labels, annotations and spec with the manifest's, keeping its status. The
     * spec may change only while the project is Pending or Failed; labels and annotations always. With
     * {@code metadata.resourceVersion} set, the update happens only if that is still the current
     * version (compare-and-set).
     *
     * @throws InvalidException  if the manifest breaks a rule
     * @throws NotFoundException if there is no such project
     * @throws ConflictException if the resourceVersion is stale, or the spec changes in a phase that
     *                           forbids it (naming the phase)
     */
    public Project update(Project manifest) {
        Objects.requireNonNull(manifest, "manifest").validate();
        Instant now = clock.instant();
        return store.update(manifest.name(), manifest.metadata().resourceVersion(), current -> {
            Project.checkSpecChange(current, manifest);
            Project next = current.withMetadata(current.metadata().withLabels(manifest.metadata().labels())
                    .withAnnotations(manifest.metadata().annotations())).withSpec(manifest.spec());
            boolean changed = !next.sameDesiredState(current);
            return next.withMetadata(next.metadata().withTimes(current.metadata().createdAt(),
                    changed ? now : current.metadata().updatedAt()));
        });
    }

    /**
     * Deletes a project as its phase says ({@link ProjectDeletion}): Pending or Failed go at once;
     * Scheduled or Running turn Terminating, and the record goes once the agent reports Terminated;
     * Terminating stays as it is. {@code force} removes the record at once whatever the phase, and logs
     * at WARNING when containers may be left on the node. The answer is the client's own
     * {@link ProjectDeleteOutcome}, so that the in-process and the HTTP paths say the same thing.
     *
     * @throws NotFoundException if there is no such project
     * @throws ConflictException if the project kept changing for {@value #DELETE_ATTEMPTS} attempts
     */
    public ProjectDeleteOutcome delete(String name, boolean force) {
        for (int attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
            Project current = get(name);
            ProjectDeletion decision = ProjectDeletion.of(current, force);
            try {
                switch (decision) {
                    case REMOVE -> {
                        Project removed = store.delete(name, null, p -> force || ProjectDeletion.of(p, false) == ProjectDeletion.REMOVE);
                        if (force && ProjectDeletion.mayLeaveContainers(removed)) {
                            LOG.warning(() -> "project \"" + name + "\" was force-deleted while " + removed.phase()
                                    + " on node \"" + removed.status().nodeRef() + "\": its containers may be left behind there");
                        }
                        return new ProjectDeleteOutcome.Removed(removed.name());
                    }
                    case TERMINATE -> {
                        Instant now = clock.instant();
                        Project terminating = store.updateStatus(name, p -> ProjectDeletion.terminate(p, ProjectDeletion.DELETED,
                                "deleted by a client; its node's agent tears it down", now), Fence.NONE);
                        return new ProjectDeleteOutcome.Terminating(terminating);
                    }
                    case ALREADY_TERMINATING -> {
                        return new ProjectDeleteOutcome.Terminating(current);
                    }
                }
            } catch (ConflictException changed) {
                // bound, reported or rescheduled since we read it: decide again on what it is now
            }
        }
        throw new ConflictException("project \"" + name + "\" changed " + DELETE_ATTEMPTS + " times while being deleted; try again");
    }

    /**
     * An agent's report of a project on its node ({@code PATCH /api/v1/projects/{name}/status}):
     * Running or Failed for a Scheduled project, Failed for a Running one, Terminated for a Terminating
     * one. A repeated report writes nothing.
     *
     * @param nodeName the reporting agent's node, or {@code null} when the caller cannot tell
     * @throws NotFoundException if there is no such project
     * @throws ConflictException when the project is on another node, or the step is not the agent's to
     *                           make (naming the current and the requested phase)
     */
    public Project reportStatus(String name, String nodeName, ProjectStatusReport report) {
        Objects.requireNonNull(report, "report");
        Instant now = clock.instant();
        return store.updateStatus(name, p -> p.status().agentReport(name, nodeName, report.phase(), report.reason(),
                report.message(), now), Fence.NONE);
    }

    /**
     * A report made on behalf of the node the project is bound to now: what an admin, the open mode
     * and the in-process client send, as they have no node of their own to speak for. Passing that
     * node on makes the store's atomic update refuse the report if the project is rebound meanwhile.
     *
     * @throws NotFoundException if there is no such project
     * @throws ConflictException if the project is bound to no node, or the step is not the agent's to make
     */
    public Project reportStatusForItsNode(String name, ProjectStatusReport report) {
        Objects.requireNonNull(report, "report");
        String node = get(name).status().nodeRef();
        if (node == null) {
            throw new ConflictException("project \"" + name + "\" is not bound to a node, so no agent can report its status:"
                    + " wait until the scheduler binds it");
        }
        return reportStatus(name, node, report);
    }

    /**
     * Watches projects: first an ADDED event for each project the filter selects now, then every
     * change, in order, on a thread of the watch's own; a project that stops matching gets DELETED,
     * one that starts matching ADDED. The same guarantees as {@link ControlPlane#watch}.
     */
    public Watch watch(ProjectFilter filter, Consumer<ProjectWatchEvent> sink, Consumer<String> onClose) {
        return watches.open(Objects.requireNonNull(filter, "filter"), sink, onClose);
    }

    /**
     * The node's projects, and what they reserve against what it can allocate.
     *
     * @throws NotFoundException if there is no such node
     */
    public NodeAllocation describeNodeAllocation(String nodeName) {
        Node node = nodes.get(nodeName).orElseThrow(() -> new NotFoundException(nodeName));
        List<Project> on = store.listOnNode(nodeName);
        ResourceList reserved = ProjectScheduling.reserved(on).getOrDefault(nodeName, ResourceList.EMPTY);
        return new NodeAllocation(node, on, reserved, node.status().allocatable());
    }

    void pumpWatches() {
        watches.pump();
    }

    void closeWatches() {
        watches.closeAll();
    }

    static NotFoundException notFound(String name) {
        return new NotFoundException(name, "project \"" + name + "\" not found");
    }
}
