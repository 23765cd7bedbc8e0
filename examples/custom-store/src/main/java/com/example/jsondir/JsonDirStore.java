package com.example.jsondir;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NodeStorageCodec;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.MemoryEventStore;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.StoreRules;
import dev.cara.sdk.spi.TokenStore;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A {@link NodeStore} that keeps each node in its own JSON file: {@code DIR/nodes/NAME.json}, plus
 * {@code DIR/revision}, the highest revision ever handed out. Projects, tokens and events live beside
 * them, each kind in its own directory and class ({@link #projects()}, {@link #tokens()},
 * {@link #events()}); {@link JsonFiles} writes every file.
 *
 * <p>It is written to be read. Every method takes one lock, so it is correct before it is fast; a
 * real backend for thousands of nodes would group heartbeat writes (as the MapDB store does) instead
 * of writing a file for each one.
 *
 * <p><b>Durability.</b> Each file is written to a temporary file, forced to disk, and renamed over
 * the old one, so a crash leaves either the old or the new version, never half of one. The revision
 * file is written before the node file: whatever a crash interrupts, no resourceVersion on disk is
 * ever above the recorded revision, so a reopened store never hands one out twice.
 *
 * <p><b>Threads.</b> {@code lock} guards everything: the heap copy of the nodes, the revision and
 * the change history. Reads of one node could skip it, but simple wins here.
 */
public final class JsonDirStore implements NodeStore {
    private static final int HISTORY = 10_000;
    // Node names are DNS subdomains; anything else must never become a path.
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

    private final Object lock = new Object();
    private final Path dir;
    private final JsonFiles nodeFiles;
    private final JsonFiles dirFiles;
    private final JsonDirProjects projects;
    private final JsonDirTokens tokens;
    private final MemoryEventStore events;
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private long revision;
    private boolean closed;

    private JsonDirStore(Path dir, EventPolicy eventPolicy) {
        this.dir = dir;
        this.nodeFiles = new JsonFiles(dir.resolve("nodes"));
        this.dirFiles = new JsonFiles(dir);
        String revisionText = dirFiles.read("revision");
        this.revision = revisionText == null ? 0 : Long.parseLong(revisionText.strip());
        for (String json : nodeFiles.readAll()) {
            Node node = NodeStorageCodec.decode(json);
            nodes.put(node.name(), node);
        }
        this.projects = new JsonDirProjects(new JsonFiles(dir.resolve("projects")), describe());
        this.tokens = new JsonDirTokens(new JsonFiles(dir.resolve("tokens")));
        this.events = JsonDirEvents.open(new JsonFiles(dir.resolve("events")), eventPolicy, describe());
    }

    /** Opens the store in {@code dir}, creating the directory if needed, and reads everything in it. */
    public static JsonDirStore open(Path dir) {
        return open(dir, EventPolicy.defaults());
    }

    /** The same, with events folded and kept by {@code eventPolicy}. */
    public static JsonDirStore open(Path dir, EventPolicy eventPolicy) {
        return new JsonDirStore(dir, eventPolicy);
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Node create(Node node) {
        synchronized (lock) {
            ensureOpen();
            String name = safeName(node.name());
            if (nodes.containsKey(name)) {
                throw new AlreadyExistsException(name);
            }
            long next = revision + 1;
            Node stored = node.withMetadata(node.metadata().withResourceVersion(Long.toString(next)));
            write(next, Change.Type.ADDED, stored);
            return stored;
        }
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        synchronized (lock) {
            ensureOpen();
            Node current = require(name);
            long next = revision + 1;
            // The store owns name, createdAt and resourceVersion; a new version only when the client's part changed.
            Node stored = StoreRules.update(current, expectedResourceVersion, mutation, Long.toString(next));
            write(next, Change.Type.MODIFIED, stored);
            return stored;
        }
    }

    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        synchronized (lock) {
            ensureOpen();
            Node current = require(name);
            NodeStatus status = Objects.requireNonNull(mutation.apply(current), "mutation result");
            if (status == current.status()) {
                return current; // the contract: the same instance means "nothing changed", so no write
            }
            Node stored = current.withStatus(status);
            write(revision + 1, Change.Type.MODIFIED, stored);
            return stored;
        }
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        synchronized (lock) {
            ensureOpen();
            Node current = require(name);
            StoreRules.checkVersion(current, expectedResourceVersion);
            write(revision + 1, Change.Type.DELETED, current);
            return current;
        }
    }

    // Called holding lock. Disk first, then the heap: if the disk write fails, nothing changed.
    private void write(long next, Change.Type type, Node node) {
        dirFiles.write("revision", Long.toString(next));
        if (type == Change.Type.DELETED) {
            nodeFiles.delete(node.name() + ".json");
        } else {
            nodeFiles.write(node.name() + ".json", NodeStorageCodec.encode(node));
        }
        revision = next;
        if (type == Change.Type.DELETED) {
            nodes.remove(node.name());
        } else {
            nodes.put(node.name(), node);
        }
        history.addLast(new Change(next, type, node));
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    // ---------------------------------------------------------------- reads and the change feed

    @Override
    public Optional<Node> get(String name) {
        synchronized (lock) {
            ensureOpen();
            return Optional.ofNullable(nodes.get(name));
        }
    }

    @Override
    public Snapshot list() {
        synchronized (lock) {
            ensureOpen();
            return new Snapshot(revision, new ArrayList<>(nodes.values())); // a TreeMap: sorted by name
        }
    }

    @Override
    public long revision() {
        synchronized (lock) {
            return revision;
        }
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        synchronized (lock) {
            ensureOpen();
            // History lives in memory: it starts empty when the store opens and keeps the last HISTORY changes.
            long oldestKept = history.isEmpty() ? revision + 1 : history.peekFirst().revision();
            // A revision ahead of ours was read from another store: gone too, or that reader would stay stale.
            if (afterRevision > revision || afterRevision + 1 < oldestKept) {
                throw new HistoryGoneException(afterRevision, oldestKept);
            }
            List<Change> out = new ArrayList<>();
            for (Change c : history) {
                if (c.revision() > afterRevision && out.size() < limit) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    /** Tokens in {@code DIR/tokens}: {@link JsonDirTokens}. */
    @Override
    public TokenStore tokens() {
        return tokens;
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @Override
    public void checkHealth() {
        if (!nodeFiles.isWritable()) {
            throw new UnavailableException("the store directory " + nodeFiles.dir() + " is not writable");
        }
    }

    /** Projects in {@code DIR/projects}: {@link JsonDirProjects}. */
    @Override
    public ProjectStore projects() {
        return projects;
    }

    @Override
    public String describe() {
        return "jsondir:" + dir;
    }

    /** The directory this store lives in. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true; // every node, project and token write is already on disk: nothing to flush
        }
        events.close();
    }

    /** Events in {@code DIR/events}: {@link JsonDirEvents}. */
    @Override
    public EventStore events() {
        return events;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store " + describe() + " is closed");
        }
    }

    private Node require(String name) {
        Node current = nodes.get(name);
        if (current == null) {
            throw new NotFoundException(name);
        }
        return current;
    }


    private static String safeName(String name) {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new InvalidException("metadata.name", name, "a DNS subdomain (lowercase letters, digits, '-' and '.')");
        }
        return name;
    }
}
