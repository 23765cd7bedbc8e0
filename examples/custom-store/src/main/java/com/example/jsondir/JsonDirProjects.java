package com.example.jsondir;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ProjectStorageCodec;
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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The projects of a {@link JsonDirStore}: {@code DIR/projects/NAME.json} each, in the SDK's
 * {@link ProjectStorageCodec}, and {@code DIR/projects/revision}, written first, as for nodes.
 *
 * <p>Projects count their own revisions (the SPI lets each kind have its own sequence). Every write,
 * status writes too, is on disk before it returns: project writes are rare decisions that others act
 * on. {@code lock} guards everything below it; the history is the SDK's {@link ChangeHistory}.
 */
final class JsonDirProjects implements ProjectStore {
    private static final int HISTORY = 10_000;

    private final Object lock = new Object();
    private final JsonFiles files;
    private final String description;
    private final TreeMap<String, Project> projects = new TreeMap<>();
    private final ChangeHistory<ProjectChange> history;

    JsonDirProjects(JsonFiles files, String description) {
        this.files = files;
        this.description = description;
        for (String json : files.readAll()) {
            Project p = ProjectStorageCodec.decode(json);
            projects.put(p.name(), p);
        }
        String revision = files.read("revision");
        history = ChangeHistory.startingAt(revision == null ? 0 : Long.parseLong(revision.strip()), HISTORY,
                ProjectChange::revision);
    }

    @Override
    public Project create(Project project) {
        return write(project.name(), (current, next) -> {
            if (current != null) {
                throw new AlreadyExistsException(project.name(), "project \"" + project.name() + "\" already exists");
            }
            return new ProjectChange(next, Change.Type.ADDED,
                    project.withMetadata(project.metadata().withResourceVersion(Long.toString(next))));
        });
    }

    @Override
    public Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence) {
        // One process owns the directory, so there is no other leader to fence off.
        return write(name, (current, next) -> new ProjectChange(next, Change.Type.MODIFIED,
                ProjectStoreRules.update(require(current, name), expectedResourceVersion, mutation, Long.toString(next))));
    }

    @Override
    public Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence) {
        return write(name, (current, next) -> {
            Project found = require(current, name);
            ProjectStatus status = Objects.requireNonNull(mutation.apply(found), "mutation result");
            // The same instance means "nothing changed": no write, no revision.
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

    /** Runs {@code op} on the current project (null: none) and the next revision; writes the change it returns, if any. */
    private Project write(String name, BiFunction<Project, Long, ProjectChange> op) {
        synchronized (lock) {
            Project current = projects.get(name);
            ProjectChange change = op.apply(current, history.latest() + 1);
            if (change == null) {
                return current;
            }
            files.write("revision", Long.toString(change.revision()));
            if (change.type() == Change.Type.DELETED) {
                files.delete(name + ".json");
                projects.remove(name);
            } else {
                files.write(name + ".json", ProjectStorageCodec.encode(change.project()));
                projects.put(name, change.project());
            }
            history.append(change);
            return change.project();
        }
    }

    @Override
    public Optional<Project> get(String name) {
        synchronized (lock) {
            return Optional.ofNullable(projects.get(name));
        }
    }

    @Override
    public Snapshot list() {
        synchronized (lock) {
            return new Snapshot(history.latest(), new ArrayList<>(projects.values())); // a TreeMap: by name
        }
    }

    @Override
    public long revision() {
        synchronized (lock) {
            return history.latest();
        }
    }

    @Override
    public List<ProjectChange> changesSince(long afterRevision, int limit) {
        synchronized (lock) {
            return history.since(afterRevision, limit); // throws HistoryGoneException for what it no longer keeps
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Nothing to release: every write is on disk already, and the directory is the node store's. */
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
