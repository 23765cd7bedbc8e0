package dev.cara.sdk;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.MemoryProjectStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Properties of the project controllers together (scheduling, lifecycle, deletion and a simulated
 * agent per node) over random histories: nodes turning Ready, NotReady and Draining, projects
 * created with requests, node selectors and expiries, time passing, scheduler, lifecycle and agent
 * passes, deletes (forced or not), and leader changes that drop the NotReady marks. The reconcilers
 * and a {@link MemoryProjectStore} are driven directly; every invariant is checked after every event,
 * and at the end the history settles (time passes, the controllers and live agents run) so that
 * every deleted project must be gone.
 */
class ProjectPropertiesTest {
    private static final int TRIES = 400;
    private static final ProjectLifecycle LIFECYCLE = ProjectLifecycle.builder()
            .gracePeriod(Duration.ofSeconds(270)).terminationTimeout(Duration.ofMinutes(10)).build();
    /** The fleet: name, cpu, memory, zone. Heterogeneous, so that requests fit some nodes only. */
    private static final List<List<String>> FLEET = List.of(
            List.of("n0", "2", "2Gi", "a"), List.of("n1", "1", "4Gi", "b"), List.of("n2", "4", "1Gi", "a"),
            List.of("n3", "500m", "512Mi", "b"));
    private static final List<String> NODES = FLEET.stream().map(f -> f.get(0)).toList();
    private static final List<String> PROJECTS = List.of("p0", "p1", "p2", "p3", "p4", "p5");

    // ------------------------------------------------------------------ events

    sealed interface Event permits SetNode, Create, Advance, Delete, Schedule, Reconcile, Agents, Restart {
    }

    record SetNode(String node, NodeState state) implements Event {
    }

    record Create(String name, String cpu, String memory, String zone, Long expireInMillis, boolean fails) implements Event {
    }

    record Advance(long millis) implements Event {
    }

    record Delete(String name, boolean force) implements Event {
    }

    record Schedule() implements Event {
    }

    record Reconcile() implements Event {
    }

    record Agents() implements Event {
    }

    /** A leader change: the new leader's lifecycle starts without NotReady marks. */
    record Restart() implements Event {
    }

    private static final Gen<String> NODE = Generate.pick(NODES);
    private static final Gen<String> PROJECT = Generate.pick(PROJECTS);
    private static final Gen<NodeState> STATE = Generate.pick(List.of(NodeState.READY, NodeState.NOT_READY, NodeState.DRAINING));
    private static final Gen<String> CPU = Generate.pick(List.of("0", "250m", "500m", "1", "2"));
    private static final Gen<String> MEMORY = Generate.pick(List.of("0", "256Mi", "1Gi", "2Gi"));
    private static final Gen<String> ZONE = Generate.pick(Arrays.asList(null, null, "a", "b"));
    private static final Gen<Long> EXPIRY = Generate.pick(Arrays.asList(null, null, 1_000L, 60_000L, 300_000L, 3_600_000L));
    private static final Gen<Long> STEP = Generate.pick(List.of(0L, 1_000L, 30_000L, 90_000L, 271_000L, 600_000L, 3_600_000L));
    private static final Gen<Boolean> BOOL = Generate.booleans();

    @SuppressWarnings("unchecked")
    private static final Gen<Event> EVENT = Generate.frequency(
            Pair.of(3, NODE.zip(STATE, (n, s) -> (Event) new SetNode(n, s))),
            Pair.of(4, PROJECT.zip(CPU, MEMORY, ZONE, (p, c, m, z) -> new Create(p, c, m, z, null, false))
                    .zip(EXPIRY, BOOL.zip(BOOL, BOOL, (a, b, c) -> a && b && c),
                            (c, e, f) -> (Event) new Create(c.name(), c.cpu(), c.memory(), c.zone(), e, f))),
            Pair.of(3, STEP.map(ms -> (Event) new Advance(ms))),
            Pair.of(2, PROJECT.zip(BOOL.zip(BOOL, (a, b) -> a && b), (p, f) -> (Event) new Delete(p, f))),
            Pair.of(3, Generate.constant((Event) new Schedule())),
            Pair.of(3, Generate.constant((Event) new Reconcile())),
            Pair.of(3, Generate.constant((Event) new Agents())),
            Pair.of(1, Generate.constant((Event) new Restart())));

    private static final Gen<List<Event>> HISTORIES = lists().of(EVENT).ofSizeBetween(1, 60);

    // ------------------------------------------------------------------ the simulation

    /** One history's world: nodes as the control plane sees them, the project store, time, the marks. */
    static final class Simulation {
        final FakeTime time = new FakeTime();
        final MemoryProjectStore store = MemoryProjectStore.create();
        final Map<String, Node> nodes = new LinkedHashMap<>();
        NotReadyMarks marks = new NotReadyMarks();
        /** Names deleted by a client (or expired) whose record must go; cleared when the name is created again. */
        final Set<String> doomed = new HashSet<>();
        /** Names whose agent must report Failed when it starts them. */
        final Set<String> failing = new HashSet<>();
        /** When the lifecycle last reconciled every project. */
        Instant lastReconcile = Instant.MIN;
        /** Each project's node and phase after the previous event. */
        Map<String, Project> before = Map.of();

        Simulation() {
            for (List<String> f : FLEET) {
                ResourceList alloc = ResourceList.parse(Map.of("cpu", f.get(1), "memory", f.get(2)));
                nodes.put(f.get(0), Node.builder(f.get(0)).label("zone", f.get(3)).build()
                        .withStatus(new NodeStatus(NodeState.READY, null, alloc, alloc, null, null, List.of(), null)));
            }
        }

        Instant now() {
            return time.instant();
        }

        void apply(Event e) {
            switch (e) {
                case SetNode s -> {
                    nodes.computeIfPresent(s.node(), (k, n) -> n.withStatus(n.status().withState(s.state())));
                    marks.observe(s.node(), nodes.get(s.node()), now()); // the controller hears of node changes
                }
                case Create c -> create(c);
                case Advance a -> time.advance(Duration.ofMillis(a.millis()));
                case Delete d -> delete(d);
                case Schedule s -> schedule();
                case Reconcile r -> reconcile();
                case Agents a -> agents();
                case Restart r -> marks = new NotReadyMarks();
            }
        }

        void create(Create c) {
            Project.Builder b = Project.builder(c.name()).service("web", "nginx").request("cpu", c.cpu()).request("memory", c.memory());
            if (c.zone() != null) {
                b.nodeSelector("zone", c.zone());
            }
            if (c.expireInMillis() != null) {
                b.expireAt(now().plusMillis(c.expireInMillis()));
            }
            Project p = b.build().validateForCreate(now());
            if (store.get(c.name()).isPresent()) {
                return; // taken: the API answers 409
            }
            store.create(p.withMetadata(p.metadata().withTimes(now(), now())));
            doomed.remove(c.name());
            if (c.fails()) {
                failing.add(c.name());
            } else {
                failing.remove(c.name());
            }
        }

        void delete(Delete d) {
            Project p = store.get(d.name()).orElse(null);
            if (p == null) {
                return;
            }
            doomed.add(d.name());
            switch (ProjectDeletion.of(p, d.force())) {
                case REMOVE -> store.delete(d.name(), null, c -> ProjectDeletion.of(c, d.force()) == ProjectDeletion.REMOVE);
                case TERMINATE -> store.updateStatus(d.name(),
                        c -> ProjectDeletion.terminate(c, ProjectDeletion.DELETED, "deleted by a client", now()), Fence.NONE);
                case ALREADY_TERMINATING -> {
                }
            }
        }

        void schedule() {
            List<Project> projects = store.list().projects();
            ProjectScheduling cycle = ProjectScheduling.of(nodes.values(), projects);
            for (Project p : projects) {
                ProjectScheduling.Outcome o = cycle.schedule(p, now());
                if (o instanceof ProjectScheduling.Bind bind) {
                    Node target = nodes.get(bind.node());
                    assertEquals(NodeState.READY, target.state(), "only a Ready, non-draining node may receive a new binding: "
                            + p.name() + " was bound to " + bind.node() + ", which is " + target.state());
                }
                store.updateStatus(p.name(), c -> o.apply(c, now()), new Fence(1));
            }
        }

        void reconcile() {
            for (Project p : store.list().projects()) {
                ProjectLifecycle.Outcome o = LIFECYCLE.reconcile(p, nodes, marks, now());
                switch (o) {
                    case ProjectLifecycle.Keep k -> {
                    }
                    case ProjectLifecycle.Transition t -> {
                        if (t.to() == ProjectPhase.PENDING) {
                            Node n = nodes.get(t.nodeRef());
                            assertTrue(n == null || n.state() == NodeState.NOT_READY,
                                    "only a NotReady node loses its projects; " + p.name() + " left " + t.nodeRef() + ", which is "
                                            + n.state());
                        }
                        if (t.reason().equals(ProjectLifecycle.EXPIRED)) {
                            doomed.add(p.name());
                        }
                        store.updateStatus(p.name(), c -> t.apply(c, now()), new Fence(1));
                    }
                    case ProjectLifecycle.Remove r -> {
                        // An expired Pending or Failed project is removed at once: expired too, so its record must go
                        // (a Failed one may have sat on a draining node: leaving it by expiry is allowed).
                        if (r.reason().equals(ProjectLifecycle.EXPIRED)) {
                            doomed.add(p.name());
                        }
                        store.delete(p.name(), null, c -> r.appliesTo(c, now()));
                    }
                }
            }
            lastReconcile = now();
        }

        /** Each live agent (its node Ready or Draining) starts what is Scheduled there and tears down what is Terminating. */
        void agents() {
            for (Node n : nodes.values()) {
                if (n.state() == NodeState.NOT_READY) {
                    continue;
                }
                for (Project p : store.listOnNode(n.name())) {
                    ProjectPhase report = switch (p.phase()) {
                        case SCHEDULED -> failing.contains(p.name()) ? ProjectPhase.FAILED : ProjectPhase.RUNNING;
                        case TERMINATING -> ProjectPhase.TERMINATED;
                        default -> null;
                    };
                    if (report != null) {
                        store.updateStatus(p.name(), c -> c.status().transition(c.name(), report, ProjectPhase.Actor.AGENT,
                                n.name(), "Reported", null, now()), Fence.NONE);
                    }
                }
            }
        }

        /** Lets time pass with the controllers and the live agents running, so that every delete completes. */
        void settle() {
            for (int i = 0; i < 3; i++) {
                time.advance(LIFECYCLE.terminationTimeout().plus(LIFECYCLE.gracePeriod()).plusSeconds(1));
                reconcile();
                agents();
                reconcile();
            }
        }

        // -------------------------------------------------------------- invariants

        void checkAfterEvent() {
            Map<String, Project> now = new HashMap<>();
            store.list().projects().forEach(p -> now.put(p.name(), p));
            Map<String, ResourceList> reserved = ProjectScheduling.reserved(now.values());
            reserved.forEach((node, used) -> {
                ResourceList alloc = nodes.get(node).status().allocatable();
                assertTrue(alloc.fits(used), "node " + node + " is over-committed: " + used + " reserved of " + alloc);
            });
            for (Project p : now.values()) {
                assertEquals(p.phase().holdsNode() || p.phase() == ProjectPhase.FAILED || p.phase() == ProjectPhase.TERMINATED,
                        p.status().nodeRef() != null, p.name() + " is " + p.phase() + " with nodeRef " + p.status().nodeRef());
                if (p.spec().expireAt() != null && !p.spec().expireAt().isAfter(lastReconcile)) {
                    assertTrue(p.phase() == ProjectPhase.TERMINATING || p.phase() == ProjectPhase.TERMINATED,
                            p.name() + " expired at " + p.spec().expireAt() + " and the lifecycle ran at " + lastReconcile
                                    + ", yet it is " + p.phase());
                }
            }
            before.forEach((name, was) -> {
                String node = was.status().nodeRef();
                if (node == null || !was.phase().holdsNode() || nodes.get(node).state() != NodeState.DRAINING) {
                    return;
                }
                Project is = now.get(name);
                if (is == null || !node.equals(is.status().nodeRef())) {
                    assertTrue(doomed.contains(name), "project " + name + " left draining node " + node + " without being"
                            + " deleted or expired: it is now " + (is == null ? "gone" : is.phase() + " on " + is.status().nodeRef()));
                }
            });
            before = now;
        }

        void checkSettled() {
            for (String name : doomed) {
                assertTrue(store.get(name).isEmpty(), "project " + name + " was deleted or expired, yet after the controllers and"
                        + " agents ran it is still " + store.get(name).map(Project::phase).orElse(null));
            }
        }
    }

    @Test
    void theControllersKeepEveryInvariantOverRandomHistories() {
        qt().withExamples(TRIES).withShrinkCycles(200).forAll(HISTORIES).checkAssert(events -> {
            Simulation sim = new Simulation();
            List<Event> done = new ArrayList<>();
            for (Event e : events) {
                done.add(e);
                try {
                    sim.apply(e);
                    sim.checkAfterEvent();
                } catch (AssertionError | RuntimeException failure) {
                    fail("after " + done + ": " + failure.getMessage(), failure);
                }
            }
            sim.settle();
            sim.checkAfterEvent();
            sim.checkSettled();
        });
    }
}
