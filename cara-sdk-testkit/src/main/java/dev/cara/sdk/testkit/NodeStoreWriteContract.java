package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static dev.cara.sdk.testkit.StoreFixtures.node;
import static dev.cara.sdk.testkit.StoreFixtures.status;
import static dev.cara.sdk.testkit.StoreFixtures.statusCount;
import static dev.cara.sdk.testkit.StoreFixtures.version;
import static dev.cara.sdk.testkit.StoreFixtures.withoutVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The contract's writes, one at a time: create, get, list, update, updateStatus, delete and the revision. */
public abstract class NodeStoreWriteContract extends NodeStoreContractBase {
    // ---------------------------------------------------------------- create, get, list

    @Test
    void createStoresTheNodeAndSetsAResourceVersion() {
        Node input = node("web-1").withStatus(status(3))
                .withMetadata(node("web-1").metadata().withResourceVersion("set-by-the-caller"));
        crudRules().createSetsItsOwnVersion("web-1", input,
                "create must store labels, annotations, spec, status and times exactly as given");
    }

    @Test
    void createOfATakenNameThrowsAlreadyExistsAndChangesNothing() {
        crudRules().takenNameThrowsAndChangesNothing("web-1", node("web-1"), node("web-1", Map.of("other", "x"), NodeSpec.EMPTY));
    }

    private CrudRules<Node> crudRules() {
        return new CrudRules<>("node", store::create, store::get, store::revision, StoreFixtures::version, StoreFixtures::withoutVersion);
    }

    @Test
    void getOfAMissingNameIsEmpty() {
        assertEquals(Optional.empty(), store.get("missing"));
        store.create(node("web-1"));
        assertEquals(Optional.empty(), store.get("web-2"));
    }

    @Test
    void listReturnsEveryNodeSortedByName() {
        List<String> names = List.of("node-b", "node-10", "node-a", "node-9", "a", "z-1");
        Map<String, Node> created = new HashMap<>();
        for (String name : names) {
            created.put(name, store.create(node(name)));
        }
        NodeStore.Snapshot snapshot = store.list();
        List<String> listed = snapshot.nodes().stream().map(Node::name).toList();
        assertEquals(names.stream().sorted().toList(), listed, "list must return every node, sorted by name");
        for (Node n : snapshot.nodes()) {
            assertEquals(created.get(n.name()), n, "list must return each node as stored");
        }
        assertEquals(store.revision(), snapshot.revision(), "with no concurrent writer, list's revision is the latest");
    }

    // ---------------------------------------------------------------- update

    @Test
    void updateReplacesLabelsAnnotationsSpecAndStatus() {
        Node created = store.create(node("web-1"));
        Instant later = T0.plusSeconds(60);
        Node updated = store.update("web-1", null, current -> current
                .withMetadata(current.metadata().withLabels(Map.of("zone", "b", "tier", "gold"))
                        .withAnnotations(Map.of("owner", "ops"))
                        .withTimes(current.metadata().createdAt(), later))
                .withSpec(new NodeSpec("web-1.example", true))
                .withStatus(status(7)));

        assertEquals(Map.of("zone", "b", "tier", "gold"), updated.metadata().labels());
        assertEquals(Map.of("owner", "ops"), updated.metadata().annotations());
        assertEquals(new NodeSpec("web-1.example", true), updated.spec());
        assertEquals(status(7), updated.status(), "update must store the status the mutation returns");
        assertEquals(later, updated.metadata().updatedAt(), "update must store the updatedAt the mutation returns");
        assertEquals(created.metadata().createdAt(), updated.metadata().createdAt());
        assertEquals(Optional.of(updated), store.get("web-1"), "get must return what update returned");
    }

    @Test
    void updateKeepsNameAndCreatedAtAndIgnoresTheMutationsResourceVersion() {
        Node created = store.create(node("web-1"));
        Node updated = store.update("web-1", null, current -> current.withMetadata(new ObjectMeta("renamed",
                Map.of("zone", "c"), current.metadata().annotations(), T0.plusSeconds(999), T0.plusSeconds(5),
                "forged-version")));

        assertEquals("web-1", updated.name(), "update must keep the name");
        assertEquals(created.metadata().createdAt(), updated.metadata().createdAt(), "update must keep createdAt");
        assertNotEquals("forged-version", version(updated), "update must ignore the resourceVersion the mutation returns");
        assertEquals(Optional.empty(), store.get("renamed"), "a mutation must not be able to rename a node");
        assertEquals(Optional.of(updated), store.get("web-1"));
    }

    @Test
    void updateThatChangesLabelsAnnotationsOrSpecReplacesTheResourceVersion() {
        Node n = store.create(node("web-1"));
        Set<String> seen = new HashSet<>(Set.of(version(n)));

        n = store.update("web-1", null, c -> c.withMetadata(c.metadata().withLabels(Map.of("zone", "b"))));
        assertTrue(seen.add(version(n)), "changing labels must set a new resourceVersion, got again " + version(n));
        n = store.update("web-1", null, c -> c.withMetadata(c.metadata().withAnnotations(Map.of("a", "1"))));
        assertTrue(seen.add(version(n)), "changing annotations must set a new resourceVersion, got again " + version(n));
        n = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        assertTrue(seen.add(version(n)), "changing spec must set a new resourceVersion, got again " + version(n));
    }

    @Test
    void updateThatChangesNothingDesiredKeepsTheResourceVersion() {
        Node created = store.create(node("web-1"));
        Node sameDesired = store.update("web-1", null, c -> c.withStatus(status(4))
                .withMetadata(c.metadata().withTimes(c.metadata().createdAt(), T0.plusSeconds(30))));
        assertEquals(version(created), version(sameDesired),
                "an update that changes only status and updatedAt must keep the resourceVersion");
        Node identity = store.update("web-1", null, c -> c);
        assertEquals(version(created), version(identity), "an update that changes nothing must keep the resourceVersion");
        assertEquals(status(4), identity.status());
    }

    @Test
    void updateWithTheCurrentVersionSucceeds() {
        Node created = store.create(node("web-1"));
        Node updated = store.update("web-1", version(created), c -> c.withSpec(c.spec().withUnschedulable(true)));
        assertTrue(updated.spec().unschedulable());
        Node again = store.update("web-1", version(updated), c -> c.withSpec(c.spec().withUnschedulable(false)));
        assertFalse(again.spec().unschedulable());
    }

    @Test
    void updateWithAStaleVersionThrowsConflictAndChangesNothing() {
        Node created = store.create(node("web-1"));
        Node current = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        long revision = store.revision();
        AtomicInteger calls = new AtomicInteger();

        ConflictException e = assertThrows(ConflictException.class, () -> store.update("web-1", version(created), c -> {
            calls.incrementAndGet();
            return c.withMetadata(c.metadata().withLabels(Map.of("lost", "write")));
        }), "an update with a stale resourceVersion must throw ConflictException");
        assertFalse(e instanceof AlreadyExistsException, "a stale version is a conflict, not AlreadyExists");
        assertEquals(Optional.of(current), store.get("web-1"), "a conflicting update must change nothing");
        assertEquals(revision, store.revision(), "a conflicting update must not advance the revision");
        assertThrows(ConflictException.class, () -> store.update("web-1", "no-such-version", c -> c),
                "an update with a version the store never issued must throw ConflictException");
    }

    @Test
    void updateOfAMissingNameThrowsNotFound() {
        // NotFound even when a version is given.
        crudRules().writesToAMissingNameAreNotFound(node("web-1"), "web-2",
                List.of(() -> store.update("web-2", null, c -> c), () -> store.update("web-2", "1", c -> c)));
    }

    @Test
    void aMutationThatThrowsWritesNothing() {
        Node created = store.create(node("web-1"));
        long revision = store.revision();
        IllegalStateException boom = new IllegalStateException("the mutation refuses");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> store.update("web-1", null, c -> {
            throw boom;
        }));
        assertTrue(causedBy(thrown, boom), "update must pass on the mutation's exception, got " + thrown);
        thrown = assertThrows(RuntimeException.class, () -> store.updateStatus("web-1", c -> {
            throw boom;
        }, Fence.NONE));
        assertTrue(causedBy(thrown, boom), "updateStatus must pass on the mutation's exception, got " + thrown);
        assertEquals(Optional.of(created), store.get("web-1"), "a failed mutation must change nothing");
        assertEquals(revision, store.revision(), "a failed mutation must not advance the revision");
    }

    // ---------------------------------------------------------------- updateStatus

    @Test
    void updateStatusReplacesOnlyTheStatusAndKeepsTheResourceVersion() {
        Node created = store.create(node("web-1"));
        Node updated = store.updateStatus("web-1", c -> status(1), Fence.NONE);

        assertEquals(status(1), updated.status());
        assertEquals(created.metadata(), updated.metadata(), "updateStatus must leave metadata (and resourceVersion) alone");
        assertEquals(created.spec(), updated.spec(), "updateStatus must leave spec alone");
        assertEquals(Optional.of(updated), store.get("web-1"), "get must return what updateStatus returned");

        Node spec = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        for (int i = 2; i < 6; i++) {
            Node n = store.updateStatus("web-1", c -> status(statusCount(c.status()) + 1), Fence.NONE);
            assertEquals(version(spec), version(n), "updateStatus must never change the resourceVersion");
            assertEquals(i, statusCount(n.status()), "updateStatus's mutation must see the latest status");
        }
    }

    @Test
    void updateStatusReturningTheSameInstanceWritesNothing() {
        store.create(node("web-1"));
        Node written = store.updateStatus("web-1", c -> status(1), Fence.NONE);
        long revision = store.revision();

        Node unchanged = store.updateStatus("web-1", Node::status, Fence.NONE);
        assertEquals(written, unchanged, "a no-op updateStatus must return the current node");
        assertEquals(revision, store.revision(), "updateStatus whose mutation returns the current status instance "
                + "must not advance the revision");
        assertEquals(List.of(), store.changesSince(revision, 10), "a no-op updateStatus must not appear in the change feed");
    }

    @Test
    void updateStatusOfAMissingNameThrowsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> store.updateStatus("web-1", c -> status(1), Fence.NONE));
        assertEquals("web-1", e.name(), "NotFoundException must name the node");
        assertEquals(Optional.empty(), store.get("web-1"), "updateStatus must never create a node");
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteRemovesTheNodeAndReturnsItsLastState() {
        store.create(node("web-1"));
        store.create(node("web-2"));
        Node last = store.updateStatus("web-1", c -> status(2), Fence.NONE);

        assertEquals(last, store.delete("web-1", null), "delete must return the node as it was just before");
        assertEquals(Optional.empty(), store.get("web-1"));
        assertEquals(List.of("web-2"), store.list().nodes().stream().map(Node::name).toList());
    }

    @Test
    void deleteOfAMissingNameThrowsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.delete("web-1", null));
        assertEquals("web-1", e.name(), "NotFoundException must name the node");
        assertThrows(NotFoundException.class, () -> store.delete("web-1", "1"),
                "a missing node is NotFound even when a version is given");
        store.create(node("web-1"));
        store.delete("web-1", null);
        assertThrows(NotFoundException.class, () -> store.delete("web-1", null), "a second delete must throw NotFound");
    }

    @Test
    void deleteWithAStaleVersionThrowsConflictAndChangesNothing() {
        Node created = store.create(node("web-1"));
        Node current = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        long revision = store.revision();

        ConflictException e = assertThrows(ConflictException.class, () -> store.delete("web-1", version(created)),
                "a delete with a stale resourceVersion must throw ConflictException");
        assertFalse(e instanceof AlreadyExistsException, "a stale version is a conflict, not AlreadyExists");
        assertEquals(Optional.of(current), store.get("web-1"), "a conflicting delete must change nothing");
        assertEquals(revision, store.revision(), "a conflicting delete must not advance the revision");
        assertEquals(current, store.delete("web-1", version(current)), "a delete with the current version succeeds");
    }

    @Test
    void resourceVersionsAreNeverReusedAfterDeleteAndRecreate() {
        Set<String> issued = new HashSet<>();
        String previous = null;
        for (int round = 0; round < 5; round++) {
            Node n = store.create(node("web-1"));
            assertTrue(issued.add(version(n)), "round " + round + ": create reused resourceVersion " + version(n)
                    + " for web-1; versions must never repeat for a name, not even after delete and re-create");
            if (previous != null) {
                String stale = previous;
                assertThrows(ConflictException.class, () -> store.update("web-1", stale, c -> c),
                        "a version of a deleted incarnation must not match the new one");
            }
            n = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(!c.spec().unschedulable())));
            assertTrue(issued.add(version(n)), "round " + round + ": update reused resourceVersion " + version(n));
            previous = version(n);
            store.delete("web-1", null);
        }
    }

    // ---------------------------------------------------------------- revision

    @Test
    void revisionGrowsWithEveryWriteAndOnlyWithWrites() {
        long r = store.revision();
        r = assertAdvanced(r, () -> store.create(node("web-1")), "create");
        r = assertAdvanced(r, () -> store.create(node("web-2")), "create");
        r = assertAdvanced(r, () -> store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true))), "update");
        r = assertAdvanced(r, () -> store.updateStatus("web-1", c -> status(1), Fence.NONE), "updateStatus");
        r = assertAdvanced(r, () -> store.updateStatus("web-1", c -> status(2), Fence.NONE), "updateStatus");
        r = assertAdvanced(r, () -> store.delete("web-2", null), "delete");

        store.get("web-1");
        store.list();
        store.changesSince(0, 100);
        store.updateStatus("web-1", Node::status, Fence.NONE);
        assertThrows(AlreadyExistsException.class, () -> store.create(node("web-1")));
        assertThrows(NotFoundException.class, () -> store.delete("web-2", null));
        assertThrows(ConflictException.class, () -> store.update("web-1", "stale", c -> c));
        assertEquals(r, store.revision(), "reads, failed writes and no-op status writes must not advance the revision");
    }

    private long assertAdvanced(long before, Runnable write, String what) {
        write.run();
        long after = store.revision();
        assertTrue(after > before, what + " must advance the revision: it was " + before + ", now " + after);
        return after;
    }
}
