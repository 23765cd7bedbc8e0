package dev.cara.sdk.testkit;

import static dev.cara.sdk.testkit.StoreModelCheck.*;
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
 * Runs operations on the real store and renames what it sees into the model's names. It keeps
 * the store's opaque versions and revisions to itself.
 */
final class StoreModelHarness {
    final NodeStore store;
    private final long baseline;
    private final Map<String, String> versionNames = new HashMap<>();
    private final List<String> versionsSeen = new ArrayList<>();
    private final Map<Long, Integer> writeOfRevision = new HashMap<>();
    final long[] slots = new long[SLOTS];
    private Map<String, String> currentVersions = Map.of();
    int step;
    private int writes;
    private Outcome outcome = Outcome.NONE;

    StoreModelHarness(NodeStore store) {
        this.store = store;
        this.baseline = store.revision();
        java.util.Arrays.fill(slots, baseline);
        versionNames.put(CALLER_VERSION, "forged:" + CALLER_VERSION);
        versionNames.put(MUTATION_VERSION, "forged:" + MUTATION_VERSION);
    }

    /** Runs one operation, recording what it returned or threw and whether the revision moved. */
    void apply(Supplier<Object> operation) {
        long before = store.revision();
        Object value;
        String result;
        try {
            value = operation.get();
            result = "ok";
        } catch (RuntimeException e) {
            value = null;
            // The SPI's exceptions by kind (a backend may throw subclasses); anything else in full.
            if (e instanceof AlreadyExistsException) {
                result = "AlreadyExistsException";
            } else if (e instanceof ConflictException) {
                result = "ConflictException";
            } else if (e instanceof NotFoundException) {
                result = "NotFoundException";
            } else {
                result = e.toString();
            }
        }
        long after = store.revision();
        if (after < before) {
            outcome = new Outcome("revision went back from " + before + " to " + after, null, false);
        } else {
            if (after > before) {
                writeOfRevision.put(after, ++writes);
            }
            outcome = new Outcome(result, normalize(value), after > before);
        }
        step++;
    }

    /** The model's view of the store: every node, renamed, and the last outcome. */
    Model observe() {
        List<Node> listed = store.list().nodes();
        TreeMap<String, Node> nodes = new TreeMap<>();
        Map<String, String> versions = new HashMap<>();
        for (Node n : listed) {
            nodes.put(n.name(), normalize(n));
            versions.put(n.name(), n.metadata().resourceVersion());
        }
        currentVersions = versions;
        if (!List.copyOf(nodes.keySet()).equals(listed.stream().map(Node::name).toList())) {
            return Model.observed(nodes, new Outcome("list() is not sorted by name", listed, false));
        }
        return Model.observed(nodes, outcome);
    }

    String expectedVersion(String name, VersionMode mode) {
        String current = currentVersions.get(name);
        return switch (mode) {
            case NONE -> null;
            case CURRENT -> current == null ? NEVER_ISSUED : current;
            case STALE -> {
                for (int i = versionsSeen.size() - 1; i >= 0; i--) {
                    if (!versionsSeen.get(i).equals(current)) {
                        yield versionsSeen.get(i);
                    }
                }
                yield NEVER_ISSUED;
            }
        };
    }

    List<SeenChange> follow(int slot, int limit) {
        List<SeenChange> seen = new ArrayList<>();
        long from = slots[slot];
        while (true) {
            List<Change> page = store.changesSince(from, limit);
            if (page.size() > limit) {
                throw new IllegalStateException("changesSince(" + from + ", " + limit + ") returned "
                        + page.size() + " changes, more than the limit");
            }
            if (page.isEmpty()) {
                return seen;
            }
            for (Change c : page) {
                if (c.revision() <= from) {
                    throw new IllegalStateException("changesSince(" + from + ") returned revision "
                            + c.revision() + ", not after " + from + " (or not in increasing order)");
                }
                from = c.revision();
                seen.add(new SeenChange(writeOfRevision.getOrDefault(c.revision(), -1), c.type(), normalize(c.node())));
            }
        }
    }

    private Object normalize(Object value) {
        if (value instanceof Node n) {
            String version = n.metadata().resourceVersion();
            String name = version == null ? "unset" : versionNames.computeIfAbsent(version, v -> {
                versionsSeen.add(v);
                return "v" + (versionsSeen.size() - 1);
            });
            return n.withMetadata(n.metadata().withResourceVersion(name));
        }
        if (value instanceof Optional<?> o) {
            return o.map(this::normalize);
        }
        if (value instanceof List<?> l) {
            return l.stream().map(this::normalize).toList();
        }
        if (value instanceof Listing l) {
            return new Listing(l.nodes().stream().map(n -> (Node) normalize(n)).toList(), l.revisionIsLatest());
        }
        return value;
    }

    private Node normalize(Node n) {
        return (Node) normalize((Object) n);
    }
}
