package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.NodeStore;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.core.stateful.Command;
import org.quicktheories.core.stateful.Sequential;
import org.quicktheories.generators.Generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static dev.cara.sdk.testkit.StoreFixtures.statusCount;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The model-based property of the contract kit, on QuickTheories' stateful support
 * ({@link Sequential#modelCheck}): random sequences of store operations run against a fresh store
 * and against {@link Model}, a sorted map plus version bookkeeping; after every step the results
 * (returned nodes, exceptions, whether the revision moved, change-feed pages) and the full contents
 * must agree.
 *
 * <p>The store's resourceVersions and revisions are opaque, so {@link StoreModelHarness} renames them as it
 * sees them: the n-th new resourceVersion becomes {@code v<n>}, the revision after the n-th write
 * becomes write n. The model issues the same names by the rules of the SPI, so a store that bumps a
 * version when it should not, reuses one, or keeps a caller's forged one, shows up as a difference.
 */
final class StoreModelCheck {
    static final int DEFAULT_SEQUENCES = 200;
    static final int MIN_SEQUENCES = 50;
    static final int MAX_STEPS = 40;

    static final List<String> NAMES = List.of("node-a", "node-b", "node-c");
    static final List<Map<String, String>> LABELS = List.of(
            Map.of(), Map.of("zone", "a"), Map.of("zone", "b", "tier", "gold"));
    static final List<Map<String, String>> ANNOTATIONS = List.of(
            Map.of(), Map.of("note", "model"), Map.of("owner", "ops", "note", "model"));
    static final List<NodeSpec> SPECS = List.of(
            NodeSpec.EMPTY, new NodeSpec("host.example", false), new NodeSpec(null, true));
    static final int SLOTS = 3;

    /** Versions the kit forges in its input; a store that keeps one instead of setting its own fails. */
    static final String CALLER_VERSION = "set-by-the-caller";
    static final String MUTATION_VERSION = "set-by-the-mutation";
    static final String NEVER_ISSUED = "never-issued-by-any-store";

    private final Supplier<NodeStore> freshStore;
    private final int sequences;
    // Owned by the JUnit thread: the store of the sequence running now, closed when it ends.
    private NodeStore previous;

    StoreModelCheck(Supplier<NodeStore> freshStore, int sequences) {
        this.freshStore = freshStore;
        this.sequences = sequences;
    }

    void run() {
        try {
            qt().withExamples(sequences).withShrinkCycles(500)
                    .forAll(lists().of(command()).ofSizeBetween(1, MAX_STEPS))
                    .checkAssert(commands -> {
                        try {
                            Sequential.modelCheck(Model.INITIAL, commands, m -> newHarness(), StoreModelHarness::observe);
                        } finally {
                            // Closing is part of the sequence: a store that fails to close fails it.
                            closePrevious();
                        }
                    });
        } finally {
            closePrevious();
        }
    }

    StoreModelHarness newHarness() {
        closePrevious();
        previous = freshStore.get();
        return new StoreModelHarness(previous);
    }

    private void closePrevious() {
        if (previous != null) {
            NodeStore closing = previous;
            previous = null;
            closing.close();
        }
    }

    // ---------------------------------------------------------------- generators

    static Gen<Op> command() {
        Gen<String> name = Generate.pick(NAMES);
        Gen<Integer> variant = Generate.range(0, 2);
        Gen<Boolean> flag = Generate.booleans();
        Gen<VersionMode> mode = Generate.enumValues(VersionMode.class);
        Gen<Integer> slot = Generate.range(0, SLOTS - 1);

        Gen<Op> create = name.zip(variant, variant, flag, Create::new);
        Gen<Op> get = name.map(Get::new);
        Gen<Op> update = name.zip(mode, Generate.enumValues(Part.class), variant, Generate.range(0, 3),
                (n, m, part, v, flags) -> new Update(n, m, part, v, (flags & 1) != 0, (flags & 2) != 0));
        Gen<Op> updateStatus = name.zip(flag, UpdateStatus::new);
        Gen<Op> delete = name.zip(mode, Delete::new);
        Gen<Op> list = Generate.constant(new ListAll());
        Gen<Op> remember = slot.map(Remember::new);
        Gen<Op> changes = slot.zip(Generate.range(1, 5), ChangesSince::new);
        return Generate.frequency(List.of(
                Pair.of(4, create), Pair.of(2, get), Pair.of(5, update), Pair.of(4, updateStatus),
                Pair.of(3, delete), Pair.of(1, list), Pair.of(2, remember), Pair.of(2, changes)));
    }

    // ---------------------------------------------------------------- the reference model

    /** What the caller asks for as the expected resourceVersion of an update or delete. */
    enum VersionMode { NONE, CURRENT, STALE }

    /**
     * What one step returned, in the model's names. {@code result} is {@code ok} or an exception's
     * simple class name; {@code value} is what was returned; {@code advanced} whether the revision moved.
     */
    record Outcome(String result, Object value, boolean advanced) {
        static final Outcome NONE = new Outcome("start", null, false);

        static Outcome ok(Object value, boolean advanced) {
            return new Outcome("ok", value, advanced);
        }

        static Outcome failed(String exception) {
            return new Outcome(exception, null, false);
        }

        @Override
        public String toString() {
            return result + (value == null ? "" : " " + describe(value)) + (advanced ? " (revision advanced)" : "");
        }
    }

    /** A change-feed entry in the model's names: the write it came from, its type and node. */
    record SeenChange(int write, Change.Type type, Node node) {
        @Override
        public String toString() {
            return "#" + write + " " + type + " " + describe(node);
        }
    }

    /** What list() returned, and whether its revision was the latest. */
    record Listing(List<Node> nodes, boolean revisionIsLatest) {
    }

    /**
     * The reference model: the nodes by name, what the last step returned, and the bookkeeping the
     * model needs to predict the next step. Only {@code nodes} and {@code outcome} are observable,
     * so only they take part in {@link #equals}.
     */
    record Model(TreeMap<String, Node> nodes, Outcome outcome, int step, int versionsIssued, int writes,
                 List<SeenChange> log, List<Integer> slots) {
        static final Model INITIAL = new Model(new TreeMap<>(), Outcome.NONE, 0, 0, 0, List.of(),
                List.of(0, 0, 0));

        /** What the harness saw in the store: marked by a negative step, for failure messages. */
        static Model observed(TreeMap<String, Node> nodes, Outcome outcome) {
            return new Model(nodes, outcome, -1, 0, 0, List.of(), List.of());
        }

        Model next(Outcome result) {
            return new Model(nodes, result, step + 1, versionsIssued, writes, log, slots);
        }

        /** This model after a write that leaves {@code node} (or removes it, for DELETED). */
        Model write(Change.Type type, Node node, boolean newVersion, Outcome result) {
            TreeMap<String, Node> after = new TreeMap<>(nodes);
            if (type == Change.Type.DELETED) {
                after.remove(node.name());
            } else {
                after.put(node.name(), node);
            }
            List<SeenChange> longer = new ArrayList<>(log);
            longer.add(new SeenChange(writes + 1, type, node));
            return new Model(after, result, step + 1, versionsIssued + (newVersion ? 1 : 0), writes + 1,
                    List.copyOf(longer), slots);
        }

        String nextVersion() {
            return "v" + versionsIssued;
        }

        /**
         * How the store must refuse a write to {@code name} that names a version: the node is missing,
         * or the version is stale. Empty when the write goes ahead.
         */
        Optional<Model> refusal(String name, VersionMode mode) {
            if (!nodes.containsKey(name)) {
                return Optional.of(next(Outcome.failed("NotFoundException")));
            }
            if (mode == VersionMode.STALE) {
                return Optional.of(next(Outcome.failed("ConflictException")));
            }
            return Optional.empty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && nodes.equals(m.nodes) && outcome.equals(m.outcome);
        }

        @Override
        public int hashCode() {
            return Objects.hash(nodes, outcome);
        }

        @Override
        public String toString() {
            return (step < 0 ? "what the store did " : "what the reference model predicts ") + "{last step: " + outcome + "; nodes: " + describe(List.copyOf(nodes.values())) + "}";
        }
    }

    // ---------------------------------------------------------------- the store under test


    // ---------------------------------------------------------------- operations

    /** One step: what it does to the store, and what the model predicts. */
    sealed interface Op extends Command<StoreModelHarness, Model> {
    }

    /** The status a step writes: unique per step, so that no status write is ever a no-op by accident. */
    static NodeStatus statusOf(int step) {
        return StoreFixtures.status(step + 1);
    }

    static Instant timeOf(int step) {
        return T0.plusSeconds(step + 1);
    }

    record Create(String name, int labels, int spec, boolean withStatus) implements Op {
        Node input(int step) {
            Node n = StoreFixtures.node(name, LABELS.get(labels), SPECS.get(spec));
            n = n.withMetadata(n.metadata().withResourceVersion(CALLER_VERSION));
            return withStatus ? n.withStatus(statusOf(step)) : n;
        }

        @Override
        public void run(StoreModelHarness h) {
            Node input = input(h.step);
            h.apply(() -> h.store.create(input));
        }

        @Override
        public Model nextState(Model m) {
            if (m.nodes().containsKey(name)) {
                return m.next(Outcome.failed("AlreadyExistsException"));
            }
            Node input = input(m.step());
            Node stored = input.withMetadata(input.metadata().withResourceVersion(m.nextVersion()));
            return m.write(Change.Type.ADDED, stored, true, Outcome.ok(stored, true));
        }
    }

    record Get(String name) implements Op {
        @Override
        public void run(StoreModelHarness h) {
            h.apply(() -> h.store.get(name));
        }

        @Override
        public Model nextState(Model m) {
            return m.next(Outcome.ok(Optional.ofNullable(m.nodes().get(name)), false));
        }
    }

    /** The desired part an update sets; {@code NONE} keeps labels, annotations and spec as they are. */
    enum Part { NONE, LABELS, ANNOTATIONS, SPEC }

    /**
     * Sets one desired part to a variant (which may be what it already is, so that about half of all
     * updates change nothing desired) and updatedAt to this step's time; with {@code newStatus} also
     * the status; with {@code tamper} it also tries to rename the node, move createdAt and forge the
     * resourceVersion, all of which the store must ignore.
     */
    record Update(String name, VersionMode mode, Part part, int variant, boolean newStatus, boolean tamper)
            implements Op {
        UnaryOperator<Node> mutation(int step) {
            return c -> {
                ObjectMeta m = c.metadata();
                ObjectMeta meta = new ObjectMeta(tamper ? "renamed-by-mutation" : c.name(),
                        part == Part.LABELS ? LABELS.get(variant) : m.labels(),
                        part == Part.ANNOTATIONS ? ANNOTATIONS.get(variant) : m.annotations(),
                        tamper ? T0.minusSeconds(3600) : m.createdAt(), timeOf(step),
                        tamper ? MUTATION_VERSION : m.resourceVersion());
                return c.withMetadata(meta).withSpec(part == Part.SPEC ? SPECS.get(variant) : c.spec())
                        .withStatus(newStatus ? statusOf(step) : c.status());
            };
        }

        @Override
        public void run(StoreModelHarness h) {
            String expected = h.expectedVersion(name, mode);
            UnaryOperator<Node> mutation = mutation(h.step);
            h.apply(() -> h.store.update(name, expected, mutation));
        }

        @Override
        public Model nextState(Model m) {
            return m.refusal(name, mode).orElseGet(() -> updated(m, m.nodes().get(name)));
        }

        private Model updated(Model m, Node current) {
            Node proposed = mutation(m.step()).apply(current);
            boolean desiredChanged = !proposed.sameDesiredState(current);
            ObjectMeta meta = new ObjectMeta(name, proposed.metadata().labels(), proposed.metadata().annotations(),
                    current.metadata().createdAt(), proposed.metadata().updatedAt(),
                    desiredChanged ? m.nextVersion() : current.metadata().resourceVersion());
            Node stored = proposed.withMetadata(meta);
            return m.write(Change.Type.MODIFIED, stored, desiredChanged, Outcome.ok(stored, true));
        }
    }

    /** Writes this step's status, or with {@code identity} returns the current status instance (no write). */
    record UpdateStatus(String name, boolean identity) implements Op {
        @Override
        public void run(StoreModelHarness h) {
            NodeStatus next = statusOf(h.step);
            h.apply(() -> h.store.updateStatus(name, c -> identity ? c.status() : next, Fence.NONE));
        }

        @Override
        public Model nextState(Model m) {
            Node current = m.nodes().get(name);
            if (current == null) {
                return m.next(Outcome.failed("NotFoundException"));
            }
            if (identity) {
                return m.next(Outcome.ok(current, false));
            }
            Node stored = current.withStatus(statusOf(m.step()));
            return m.write(Change.Type.MODIFIED, stored, false, Outcome.ok(stored, true));
        }
    }

    record Delete(String name, VersionMode mode) implements Op {
        @Override
        public void run(StoreModelHarness h) {
            String expected = h.expectedVersion(name, mode);
            h.apply(() -> h.store.delete(name, expected));
        }

        @Override
        public Model nextState(Model m) {
            return m.refusal(name, mode).orElseGet(() -> {
                Node current = m.nodes().get(name);
                return m.write(Change.Type.DELETED, current, false, Outcome.ok(current, true));
            });
        }
    }

    record ListAll() implements Op {
        @Override
        public void run(StoreModelHarness h) {
            h.apply(() -> {
                NodeStore.Snapshot snapshot = h.store.list();
                return new Listing(snapshot.nodes(), snapshot.revision() == h.store.revision());
            });
        }

        @Override
        public Model nextState(Model m) {
            return m.next(Outcome.ok(new Listing(List.copyOf(m.nodes().values()), true), false));
        }
    }

    /** Remembers the current revision in a slot, for a later {@link ChangesSince}. */
    record Remember(int slot) implements Op {
        @Override
        public void run(StoreModelHarness h) {
            h.apply(() -> {
                h.slots[slot] = h.store.revision();
                return null;
            });
        }

        @Override
        public Model nextState(Model m) {
            List<Integer> slots = new ArrayList<>(m.slots());
            slots.set(slot, m.writes());
            Model next = m.next(Outcome.ok(null, false));
            return new Model(next.nodes(), next.outcome(), next.step(), next.versionsIssued(), next.writes(),
                    next.log(), List.copyOf(slots));
        }
    }

    /** Follows the change feed from a remembered revision, page by page with the given limit. */
    record ChangesSince(int slot, int limit) implements Op {
        @Override
        public void run(StoreModelHarness h) {
            h.apply(() -> h.follow(slot, limit));
        }

        @Override
        public Model nextState(Model m) {
            int from = m.slots().get(slot);
            return m.next(Outcome.ok(m.log().stream().filter(c -> c.write() > from).toList(), false));
        }
    }

    // ---------------------------------------------------------------- failure messages

    /** A short, complete-enough rendering for failure messages; the status is a count and a hash. */
    static String describe(Object value) {
        if (value instanceof Node n) {
            ObjectMeta meta = n.metadata();
            return n.name() + "@" + meta.resourceVersion() + "{labels=" + meta.labels() + ", annotations="
                    + meta.annotations() + ", spec=" + n.spec() + ", status#" + statusCount(n.status()) + "/"
                    + Integer.toHexString(n.status().hashCode()) + ", created=" + meta.createdAt() + ", updated="
                    + meta.updatedAt() + (Node.API_VERSION.equals(n.apiVersion()) && Node.KIND.equals(n.kind())
                    ? "" : ", " + n.apiVersion() + "/" + n.kind()) + "}";
        }
        if (value instanceof Optional<?> o) {
            return o.map(StoreModelCheck::describe).orElse("empty");
        }
        if (value instanceof List<?> l) {
            return l.stream().map(StoreModelCheck::describe).toList().toString();
        }
        if (value instanceof Listing l) {
            return describe(l.nodes()) + (l.revisionIsLatest() ? "" : " at a revision other than the latest");
        }
        return String.valueOf(value);
    }
}
