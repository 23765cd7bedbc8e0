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
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link ProjectStore} in the heap: fast, and gone when the process ends. It is the reference
 * implementation of the SPI, for tests, embedding and {@code --store memory:}.
 *
 * <p><b>Concurrency.</b> One lock, {@code lock}, guards every field below it: the projects by name,
 * the change history (which holds the revision) and the closed flag. Every write, status writes included, runs its function and
 * commits under the lock, so each write is atomic against every other and the feed is in revision
 * order. Project writes are rare (a create, a binding, a few phase changes each), so one lock costs
 * nothing that matters; reads take it too, for a consistent revision. As the function runs under the
 * lock, it must not call back into this store.
 *
 * <p><b>Fencing.</b> One from {@link #create()} takes a {@link Fence} as given: only one process uses
 * it, so there is no other leader. The one a {@link MemoryStore#withElection()} hands out
 * ({@link MemoryStore#projects()}) shares that store's terms: a fenced write under a term that is no
 * longer current is refused, checked under {@code lock} with the write, so a deposed leader cannot
 * bind or move a project.
 */
public final class MemoryProjectStore implements ProjectStore {
    /** Changes kept for watchers by default: as many as {@link MemoryStore} keeps of node changes. */
    public static final int DEFAULT_HISTORY = MemoryStore.DEFAULT_HISTORY;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final TreeMap<String, Project> projects = new TreeMap<>();
    private final ChangeHistory<ProjectChange> changes;
    private boolean closed;
    private final MemoryElection election; // null: solo

    private MemoryProjectStore(int history, MemoryElection election) {
        this.changes = ChangeHistory.startingAt(0, history, ProjectChange::revision);
        this.election = election;
    }

    public static MemoryProjectStore create() {
        return new MemoryProjectStore(DEFAULT_HISTORY, null);
    }

    /** A store that keeps the last {@code history} changes for {@link #changesSince}. */
    public static MemoryProjectStore withHistory(int history) {
        return new MemoryProjectStore(history, null);
    }

    /** The projects of a {@link MemoryStore}: fenced by its election when it has one ({@code null}: solo). */
    static MemoryProjectStore sharing(MemoryElection election) {
        return new MemoryProjectStore(DEFAULT_HISTORY, election);
    }

    @Override
    public Project create(Project project) {
        Objects.requireNonNull(project, "project");
        return locked(() -> {
            if (projects.containsKey(project.name())) {
                throw new AlreadyExistsException(project.name(), "project \"" + project.name() + "\" already exists");
            }
            String version = Long.toString(changes.latest() + 1);
            return commit(Change.Type.ADDED, project.withMetadata(project.metadata().withResourceVersion(version)));
        });
    }

    @Override
    public Optional<Project> get(String name) {
        return locked(() -> Optional.ofNullable(projects.get(name)));
    }

    @Override
    public Snapshot list() {
        return locked(() -> new Snapshot(changes.latest(), new ArrayList<>(projects.values())));
    }

    @Override
    public Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence) {
        return fenced(fence, () -> {
            String version = Long.toString(changes.latest() + 1);
            return commit(Change.Type.MODIFIED, ProjectStoreRules.update(require(name), expectedResourceVersion, mutation, version));
        });
    }

    @Override
    public Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence) {
        return fenced(fence, () -> {
            Project current = require(name);
            ProjectStatus next = Objects.requireNonNull(mutation.apply(current), "mutation result");
            if (next == current.status()) {
                return current; // the mutation changed nothing: no write, no revision
            }
            return commit(Change.Type.MODIFIED, current.withStatus(next));
        });
    }

    @Override
    public Project delete(String name, String expectedResourceVersion, Predicate<? super Project> precondition) {
        return locked(() -> {
            Project current = require(name);
            ProjectStoreRules.checkDelete(current, expectedResourceVersion, precondition);
            projects.remove(name);
            return commit(Change.Type.DELETED, current);
        });
    }

    @Override
    public long revision() {
        lock.lock();
        try {
            return changes.latest();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ProjectChange> changesSince(long afterRevision, int limit) {
        return locked(() -> changes.since(afterRevision, limit));
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

    // Called with the lock held: records the change and publishes the project (a delete has removed it).
    private Project commit(Change.Type type, Project project) {
        changes.append(new ProjectChange(changes.latest() + 1, type, project));
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

    // Runs a write under the lock if its fence is current; the election hears of a refusal after the
    // lock is released, as its listener may call back into this store.
    private <T> T fenced(Fence fence, Supplier<T> body) {
        Objects.requireNonNull(fence, "fence");
        if (election == null) {
            return locked(body);
        }
        FencedException[] refused = new FencedException[1];
        T result = locked(() -> {
            refused[0] = election.refusal(fence);
            return refused[0] == null ? body.get() : null;
        });
        if (refused[0] != null) {
            election.refused(fence);
            throw refused[0];
        }
        return result;
    }

    // Runs body under the lock, on an open store: every read and write goes through here.
    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            ensureOpen();
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }
}
