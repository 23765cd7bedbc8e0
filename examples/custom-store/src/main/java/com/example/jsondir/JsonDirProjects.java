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
        synchronized (lock) {
            if (projects.containsKey(project.name())) {
                throw new AlreadyExistsException(project.name(), "project \"" + project.name() + "\" already exists");
            }
            String version = Long.toString(history.latest() + 1);
            return write(Change.Type.ADDED, project.withMetadata(project.metadata().withResourceVersion(version)));
        }
    }

    // One process owns the directory, so there is no other leader to fence off: the fences are not checked.
    @Override
    public Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence) {
        synchronized (lock) {
            String version = Long.toString(history.latest() + 1);
            // A new resourceVersion only when labels, annotations or spec changed: the SDK's rule does it.
            return write(Change.Type.MODIFIED, ProjectStoreRules.update(require(name), expectedResourceVersion, mutation, version));
        }
    }

    @Override
    public Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence) {
        synchronized (lock) {
            Project current = require(name);
            ProjectStatus status = Objects.requireNonNull(mutation.apply(current), "mutation result");
            // The same instance means "nothing changed": no write, no revision.
            return status == current.status() ? current : write(Change.Type.MODIFIED, current.withStatus(status));
        }
    }

    @Override
    public Project delete(String name, String expectedResourceVersion, Predicate<? super Project> precondition) {
        synchronized (lock) {
            Project current = require(name);
            ProjectStoreRules.checkDelete(current, expectedResourceVersion, precondition);
            return write(Change.Type.DELETED, current);
        }
    }

    // Called holding lock. Disk first (the revision file before the project's), then the heap.
    private Project write(Change.Type type, Project project) {
        long next = history.latest() + 1;
        files.write("revision", Long.toString(next));
        if (type == Change.Type.DELETED) {
            files.delete(project.name() + ".json");
            projects.remove(project.name());
        } else {
            files.write(project.name() + ".json", ProjectStorageCodec.encode(project));
            projects.put(project.name(), project);
        }
        history.append(new ProjectChange(next, type, project));
        return project;
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

    private Project require(String name) {
        Project current = projects.get(name);
        if (current == null) {
            throw new NotFoundException(name, "project \"" + name + "\" not found");
        }
        return current;
    }
}
