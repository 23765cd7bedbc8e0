package dev.cara.sdk.spi;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.UnavailableException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where projects are kept: the storage SPI for {@link Project}, the twin of {@link NodeStore}. Prove
 * an implementation with the contract kit ({@code dev.cara.sdk.testkit.ProjectStoreContract} in the
 * {@code cara-sdk-testkit} artifact).
 *
 * <h2>Versions and revisions</h2>
 * Every write advances the store's <em>revision</em>, which only grows and orders the
 * {@linkplain #changesSince change feed}; a store that keeps projects beside nodes may share one
 * sequence between them, so the project feed may skip revisions. Each project carries
 * {@code metadata.resourceVersion}, the version of what clients write (labels, annotations, spec):
 * set on create, replaced by each {@link #update} that changes any of those, never by a status write
 * (bindings and phase changes), and never reused for a name, not even after a delete and re-create.
 *
 * <h2>Durability</h2>
 * When {@link #create}, {@link #update}, {@link #updateStatus} or {@link #delete} returns, the write
 * must survive a crash of the process. Unlike a node's heartbeats, a project's status writes are
 * decisions that other processes act on (a binding that an agent starts containers for, a phase an
 * operator waits on), and they are rare, so none of them may be lost.
 *
 * <h2>Concurrency</h2>
 * Every method is safe to call from many threads. {@code update}, {@code updateStatus} and a
 * {@code delete} with a precondition are atomic: the function sees the current project, and its
 * result is stored (or the project removed) only if nothing changed in between. A store may call the
 * function more than once (optimistic retry), so it must be a side-effect-free function of its input.
 * Whatever the function throws aborts the write and reaches the caller unchanged: this is how a
 * binding is a compare-and-set on the phase (the scheduler's mutation throws
 * {@link ConflictException} when the project is no longer Pending), as status writes leave the
 * resourceVersion alone. A status write never overwrites a concurrent spec write, nor the reverse.
 *
 * <h2>Errors</h2>
 * Missing names throw {@link NotFoundException}, taken names {@link AlreadyExistsException}, a
 * failed compare-and-set {@link ConflictException}, a write under a stale leadership term
 * {@link FencedException}, and an unreachable backend {@link UnavailableException}.
 */
public interface ProjectStore extends Store {

    /**
     * Stores a new project with the metadata, spec and status given, setting
     * {@code metadata.resourceVersion}.
     *
     * @return the project as stored
     * @throws AlreadyExistsException if the name is taken
     */
    Project create(Project project);

    /** The project with this name, if any. */
    Optional<Project> get(String name);

    /** Every project, sorted by name, with the revision they were read at. */
    Snapshot list();

    /**
     * The projects whose {@code status.nodeRef} is {@code node}, sorted by name. The default filters
     * {@link #list()}; a store with an index on the node should override it.
     */
    default List<Project> listOnNode(String node) {
        Objects.requireNonNull(node, "node");
        return list().projects().stream().filter(p -> node.equals(p.status().nodeRef())).toList();
    }

    /**
     * {@link #update(String, String, UnaryOperator, Fence)} unfenced: a client's write through the API.
     */
    default Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation) {
        return update(name, expectedResourceVersion, mutation, Fence.NONE);
    }

    /**
     * Atomically replaces a project with {@code mutation(current)}. The store keeps {@code name} and
     * {@code createdAt} as they were and ignores the resourceVersion the mutation returns; if labels,
     * annotations or spec changed, it sets a new resourceVersion. The status the mutation returns is
     * stored too.
     *
     * @param expectedResourceVersion the version the caller read, or {@code null} for no check
     * @param fence                   the writer's leadership term, or {@link Fence#NONE}
     * @return the project as stored
     * @throws NotFoundException if there is no such project
     * @throws ConflictException if {@code expectedResourceVersion} is not the current one
     * @throws FencedException   when {@code fence} is no longer the current term; nothing is written
     */
    Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence);

    /**
     * Atomically replaces a project's status with {@code mutation(current)}, leaving metadata and spec
     * (and so the resourceVersion) alone. When the mutation returns the current status instance itself,
     * nothing changed: the store must skip the write and not advance the revision.
     *
     * @param fence the writer's leadership term: the scheduler and the lifecycle controllers write under
     *              theirs, so that a deposed leader cannot bind or move a project; {@link Fence#NONE}
     *              (an agent's report through the API) writes unconditionally
     * @return the project as stored
     * @throws NotFoundException if there is no such project
     * @throws FencedException   when {@code fence} is no longer the current term; nothing is written
     */
    Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence);

    /**
     * Removes a project.
     *
     * @param expectedResourceVersion the version the caller read, or {@code null} for no check
     * @return the project as it was just before deletion
     * @throws NotFoundException if there is no such project
     * @throws ConflictException if {@code expectedResourceVersion} is not the current one
     */
    default Project delete(String name, String expectedResourceVersion) {
        return delete(name, expectedResourceVersion, current -> true);
    }

    /**
     * Removes a project if {@code precondition} holds for it as it is at that moment, atomically with
     * the removal. The API removes a Pending project only if it is still Pending, and the lifecycle
     * removes only what is still Terminated: a binding that lands in between must not be lost, and it
     * does not change the resourceVersion that a compare-and-set could check.
     *
     * @param expectedResourceVersion the version the caller read, or {@code null} for no check
     * @return the project as it was just before deletion
     * @throws NotFoundException if there is no such project
     * @throws ConflictException if {@code expectedResourceVersion} is not the current one, or the
     *                           precondition does not hold (nothing is removed)
     */
    Project delete(String name, String expectedResourceVersion, Predicate<? super Project> precondition);

    /** The revision of the latest write. 0 for a store that has never been written. */
    long revision();

    /**
     * The changes after {@code afterRevision}, oldest first, at most {@code limit} of them; a store
     * returns a full page whenever that many exist. Revisions strictly increase; they may skip, never
     * go back.
     *
     * @throws HistoryGoneException if changes after {@code afterRevision} are no longer kept; the
     *                              caller should {@link #list()} again and continue from there
     */
    List<ProjectChange> changesSince(long afterRevision, int limit);

    /** Projects as of one revision. */
    record Snapshot(long revision, List<Project> projects) {
        public Snapshot {
            projects = List.copyOf(projects);
        }
    }
}
