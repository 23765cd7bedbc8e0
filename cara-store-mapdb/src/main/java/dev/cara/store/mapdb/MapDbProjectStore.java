package dev.cara.store.mapdb;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.ChangeHistory;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.ProjectChange;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.ProjectStoreRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The projects of a {@link MapDbStore}, in the same file: {@link MapDbStore#projects()}. It lives and
 * dies with that store; its own {@link #close()} releases nothing.
 *
 * <h2>Durability</h2>
 * Every write, status writes included, commits before it returns, as the SPI asks: project writes are
 * rare decisions that other processes act on, so none waits for a flush window. They go through the
 * store's {@link DiskThread} like every other commit, so a full disk fails them at once with
 * {@link dev.cara.sdk.UnavailableException} naming the file, and they succeed again once space returns.
 *
 * <h2>Revisions</h2>
 * Projects have their own revision sequence, separate from the nodes': the node feed's history must
 * be gap-free, and node revisions are only bounded by a ceiling on disk (heartbeats do not commit),
 * while every project write commits anyway. So each commit records the exact project revision
 * ({@code cara.projectRevision}), a reopened store continues from it, and revisions (and with them
 * resourceVersions) are never reused, not even after a crash. The change history lives in the heap
 * and starts empty at each open, as the node feed's does.
 *
 * <h2>Threads and ownership</h2>
 * A write holds the store's group-commit lock ({@link GroupCommit#lock}) from reading the current
 * project through its commit: that lock owns the MapDB file, so project commits never interleave with
 * node batches or status flushes, and it orders project writes among themselves. {@code lock} guards
 * the heap state below it (the projects, the history and its revision); a write takes it only to
 * publish after the commit, so nothing is visible before it is durable, and reads take only it, never
 * waiting for the disk. A writer reads the projects without {@code lock}: only holders of the
 * group-commit lock change them. Lock order: group-commit lock, then {@code lock}. As the mutation runs
 * under the group-commit lock, it must not call back into the store.
 *
 * <p>It takes a {@link Fence} as given: only one process can open the file, so there is no other leader.
 */
final class MapDbProjectStore implements ProjectStore {
    private final GroupCommit<?, ?> commits;
    private final HeapCopy nodeHeap; // for the store's closed flag, set under the group-commit lock
    private final DiskThread disk;
    private final String description;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock; changed only by holders of the group-commit lock.
    private final TreeMap<String, Project> projects;
    private final ChangeHistory<ProjectChange> history;

    MapDbProjectStore(MapDbFiles.Opened opened, GroupCommit<?, ?> commits, HeapCopy nodeHeap, DiskThread disk,
                      String description, int history) {
        this.commits = commits;
        this.nodeHeap = nodeHeap;
        this.disk = disk;
        this.description = description;
        this.projects = opened.projects();
        this.history = ChangeHistory.startingAt(opened.projectRevision().get(), history, ProjectChange::revision);
    }

    @Override
    public Project create(Project project) {
        Objects.requireNonNull(project, "project");
        return write(project.name(), (current, next) -> {
            if (current != null) {
                throw new AlreadyExistsException(project.name(), "project \"" + project.name() + "\" already exists");
            }
            Project stored = project.withMetadata(project.metadata().withResourceVersion(Long.toString(next)));
            return new ProjectChange(next, Change.Type.ADDED, stored);
        });
    }

    @Override
    public Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence) {
        return write(name, (current, next) -> new ProjectChange(next, Change.Type.MODIFIED,
                ProjectStoreRules.update(require(current, name), expectedResourceVersion, mutation, Long.toString(next))));
    }

    @Override
    public Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence) {
        return write(name, (current, next) -> {
            Project found = require(current, name);
            ProjectStatus status = Objects.requireNonNull(mutation.apply(found), "mutation result");
            // The same instance: nothing changed, so no write and no revision.
            return status == found.status() ? null : new ProjectChange(next, Change.Type.MODIFIED, found.withStatus(status));
        });
    }

    @Override
    public Project delete(String name, String expectedResourceVersion, Predicate<? super Project> precondition) {
        return write(name, (current, next) -> {
            ProjectStoreRules.checkDelete(require(current, name), expectedResourceVersion, precondition);
            return new ProjectChange(next, Change.Type.DELETED, current);
        });
    }

    /** One write: given the current project (null: absent) and the revision it gets, the change to commit, or null for none. */
    @FunctionalInterface
    private interface Op {
        ProjectChange apply(Project current, long next);
    }

    private Project write(String name, Op op) {
        commits.lock();
        try {
            nodeHeap.ensureOpen(description);
            Project current = projects.get(name);
            ProjectChange change = op.apply(current, history.latest() + 1);
            if (change == null) {
                return current;
            }
            boolean deleted = change.type() == Change.Type.DELETED;
            disk.commitProject(name, deleted ? null : ProjectRecords.write(change.project()), change.revision());
            lock.lock();
            try {
                history.append(change);
                if (deleted) {
                    projects.remove(name);
                } else {
                    projects.put(name, change.project());
                }
            } finally {
                lock.unlock();
            }
            return change.project();
        } finally {
            commits.unlock();
        }
    }

    @Override
    public Optional<Project> get(String name) {
        return read(() -> Optional.ofNullable(projects.get(name)));
    }

    @Override
    public Snapshot list() {
        return read(() -> new Snapshot(history.latest(), new ArrayList<>(projects.values())));
    }

    @Override
    public long revision() {
        lock.lock();
        try {
            return history.latest(); // open or closed, as MapDbStore.revision()
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ProjectChange> changesSince(long afterRevision, int limit) {
        return read(() -> history.since(afterRevision, limit));
    }

    // A read of an open store: under lock, for a state that agrees with the revision.
    private <T> T read(Supplier<T> body) {
        lock.lock();
        try {
            nodeHeap.ensureOpen(description);
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Nothing to release: the file belongs to the {@link MapDbStore}, whose close ends this store too. */
    @Override
    public void close() {
    }

    private static Project require(Project current, String name) {
        if (current == null) {
            throw new NotFoundException(name, "project \"" + name + "\" not found");
        }
        return current;
    }
}
