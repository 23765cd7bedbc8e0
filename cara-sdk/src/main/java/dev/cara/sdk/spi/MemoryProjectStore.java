package dev.cara.sdk.spi;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A {@link ProjectStore} in the heap: fast, and gone when the process ends. It is the reference
 * implementation of the SPI, for tests, embedding and {@code --store memory:}.
 *
 * <p><b>Concurrency.</b> One lock, {@code lock}, guards every field below it: the projects by name,
 * the change ring and the revision. Every write, status writes included, runs its function and
 * commits under the lock, so each write is atomic against every other and the feed is in revision
 * order. Project writes are rare (a create, a binding, a few phase changes each), so one lock costs
 * nothing that matters; reads take it too, for a consistent revision. As the function runs under the
 * lock, it must not call back into this store.
 *
 * <p>It takes a {@link Fence} as given: only one process uses it, so there is no other leader.
 */
public final class MemoryProjectStore implements ProjectStore {
    /** Changes kept for watchers by default. */
    public static final int DEFAULT_HISTORY = 100_000;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final TreeMap<String, Project> projects = new TreeMap<>();
    private final ProjectChange[] ring;
    private long revision;
    private boolean closed;

    private MemoryProjectStore(int history) {
        this.ring = new ProjectChange[history];
    }

    public static MemoryProjectStore create() {
        return new MemoryProjectStore(DEFAULT_HISTORY);
    }

    /** A store that keeps the last {@code history} changes for {@link #changesSince}. */
    public static MemoryProjectStore withHistory(int history) {
        if (history < 1) {
            throw new IllegalArgumentException("history must be at least 1, was " + history);
        }
        return new MemoryProjectStore(history);
    }

    @Override
    public Project create(Project project) {
        Objects.requireNonNull(project, "project");
        lock.lock();
        try {
            ensureOpen();
            if (projects.containsKey(project.name())) {
                throw new AlreadyExistsException(project.name(), "project \"" + project.name() + "\" already exists");
            }
            long next = revision + 1;
            return commit(next, Change.Type.ADDED,
                    project.withMetadata(project.metadata().withResourceVersion(Long.toString(next))));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Project> get(String name) {
        lock.lock();
        try {
            ensureOpen();
            return Optional.ofNullable(projects.get(name));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Snapshot list() {
        lock.lock();
        try {
            ensureOpen();
            return new Snapshot(revision, new ArrayList<>(projects.values()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence) {
        lock.lock();
        try {
            ensureOpen();
            long next = revision + 1;
            Project stored = ProjectStoreRules.update(require(name), expectedResourceVersion, mutation, Long.toString(next));
            return commit(next, Change.Type.MODIFIED, stored);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence) {
        lock.lock();
        try {
            ensureOpen();
            Project current = require(name);
            ProjectStatus next = Objects.requireNonNull(mutation.apply(current), "mutation result");
            if (next == current.status()) {
                return current; // the mutation changed nothing: no write, no revision
            }
            return commit(revision + 1, Change.Type.MODIFIED, current.withStatus(next));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Project delete(String name, String expectedResourceVersion, Predicate<? super Project> precondition) {
        lock.lock();
        try {
            ensureOpen();
            Project current = require(name);
            ProjectStoreRules.checkDelete(current, expectedResourceVersion, precondition);
            commit(revision + 1, Change.Type.DELETED, current);
            projects.remove(name);
            return current;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long revision() {
        lock.lock();
        try {
            return revision;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ProjectChange> changesSince(long afterRevision, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        lock.lock();
        try {
            ensureOpen();
            long oldestKept = Math.max(1, revision - ring.length + 1);
            // A revision beyond this store's comes from another store (one before a restart): "no
            // changes" would leave that reader stale forever.
            if (afterRevision + 1 < oldestKept || afterRevision > revision) {
                throw new HistoryGoneException(afterRevision, oldestKept);
            }
            List<ProjectChange> out = new ArrayList<>();
            for (long r = afterRevision + 1; r <= revision && out.size() < limit; r++) {
                out.add(ring[(int) (r % ring.length)]);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "memory:";
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    // Called with the lock held: records the change and publishes the project (a delete removes it after).
    private Project commit(long next, Change.Type type, Project project) {
        ring[(int) (next % ring.length)] = new ProjectChange(next, type, project);
        revision = next;
        if (type != Change.Type.DELETED) {
            projects.put(project.name(), project);
        }
        return project;
    }

    private Project require(String name) {
        Project current = projects.get(name);
        if (current == null) {
            throw new NotFoundException(name, "project \"" + name + "\" not found");
        }
        return current;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }
}
