package dev.cara.sdk;

import dev.cara.sdk.spi.MemoryStore;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The project properties of issue 16, driven through the {@link ControlPlane} itself (its controllers,
 * its heartbeat monitor and its API) rather than the reconcilers: random histories of nodes that
 * heartbeat or fall silent, drains, projects with requests and expiries, agents' reports, deletes
 * (forced or not), time passing, ticks, and restarts of the control plane on the same store (a new
 * leader, with no NotReady marks). After every event: no node over-committed, new bindings only on
 * Ready nodes that are not draining, a draining node keeps its projects, and after a tick no expired
 * project runs. At the end, with time passing and live agents reporting, every deleted project is gone.
 */
class ControlPlaneProjectPropertiesTest {
    private static final int TRIES = 150;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> NODES = List.of("n0", "n1", "n2");
    private static final Map<String, String> CPU_OF = Map.of("n0", "2", "n1", "1", "n2", "4");
    private static final List<String> PROJECTS = List.of("p0", "p1", "p2", "p3", "p4");

    sealed interface Event permits Silence, Revive, Drain, Create, Delete, Advance, Tick, Agents, Restart {
    }

    record Silence(String node) implements Event {
    }

    record Revive(String node) implements Event {
    }

    record Drain(String node, boolean drain) implements Event {
    }

    record Create(String name, String cpu, Long expireInSeconds) implements Event {
    }

    record Delete(String name, boolean force) implements Event {
    }

    record Advance(long seconds) implements Event {
    }

    record Tick() implements Event {
    }

    record Agents() implements Event {
    }

    record Restart() implements Event {
    }

    private static final Gen<String> NODE = Generate.pick(NODES);
    private static final Gen<String> PROJECT = Generate.pick(PROJECTS);
    private static final Gen<Boolean> BOOL = Generate.booleans();

    @SuppressWarnings("unchecked")
    private static final Gen<Event> EVENT = Generate.frequency(
            Pair.of(1, NODE.map(n -> (Event) new Silence(n))),
            Pair.of(2, NODE.map(n -> (Event) new Revive(n))),
            Pair.of(1, NODE.zip(BOOL, (n, d) -> (Event) new Drain(n, d))),
            Pair.of(4, PROJECT.zip(Generate.pick(List.of("250m", "500m", "1", "2")),
                    Generate.pick(Arrays.asList(null, null, 30L, 300L)), (p, c, e) -> (Event) new Create(p, c, e))),
            Pair.of(2, PROJECT.zip(BOOL.zip(BOOL, (a, b) -> a && b), (p, f) -> (Event) new Delete(p, f))),
            Pair.of(3, Generate.pick(List.of(1L, 30L, 91L, 271L, 700L)).map(s -> (Event) new Advance(s))),
            Pair.of(4, Generate.constant((Event) new Tick())),
            Pair.of(3, Generate.constant((Event) new Agents())),
            Pair.of(1, Generate.constant((Event) new Restart())));

    private static final Gen<List<Event>> HISTORIES = lists().of(EVENT).ofSizeBetween(1, 50);

    /** One history: a store that survives restarts, the control plane on it, which agents are alive. */
    static final class World {
        final FakeTime time = new FakeTime();
        final MemoryStore store = MemoryStore.create();
        final Set<String> silent = new HashSet<>();
        final Set<String> doomed = new HashSet<>();
        ControlPlane cp;
        Map<String, Project> before = Map.of();

        World() {
            start();
            for (String n : NODES) {
                cp.register(Node.builder(n).build());
                beat(n);
            }
        }

        void start() {
            cp = ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(TIMEOUT).manualTicks(true)
                    .build().start();
        }

        void beat(String n) {
            ResourceList alloc = ResourceList.parse(Map.of("cpu", CPU_OF.get(n), "memory", "8Gi"));
            cp.heartbeat(n, new HeartbeatReport(NodeState.READY, null, alloc, alloc, null, null));
        }

        void apply(Event e) {
            switch (e) {
                case Silence s -> silent.add(s.node());
                case Revive r -> {
                    silent.remove(r.node());
                    beat(r.node());
                }
                case Drain d -> cp.setUnschedulable(d.node(), d.drain());
                case Create c -> create(c);
                case Delete d -> {
                    if (cp.store().projects().get(d.name()).isPresent()) {
                        doomed.add(d.name());
                        cp.projects().delete(d.name(), d.force());
                    }
                }
                case Advance a -> {
                    time.advance(Duration.ofSeconds(a.seconds()));
                    NODES.stream().filter(n -> !silent.contains(n)).forEach(this::beat);
                }
                case Tick t -> tick();
                case Agents a -> agents();
                case Restart r -> {
                    cp.close();
                    start();
                }
            }
        }

        void create(Create c) {
            Project.Builder b = Project.builder(c.name()).service("web", "nginx").request("cpu", c.cpu());
            if (c.expireInSeconds() != null) {
                b.expireAt(time.instant().plusSeconds(c.expireInSeconds()));
            }
            try {
                cp.projects().create(b.build());
                doomed.remove(c.name());
            } catch (AlreadyExistsException taken) {
                // the API answers 409
            }
        }

        void tick() {
            cp.tick();
            Instant now = time.instant();
            for (Project p : cp.projects().list(ProjectFilter.ALL)) {
                if (p.spec().expiredAt(now)) {
                    assertFalse(p.phase() == ProjectPhase.SCHEDULED || p.phase() == ProjectPhase.RUNNING
                            || p.phase() == ProjectPhase.PENDING, p.name() + " expired at " + p.spec().expireAt()
                            + " and the controllers ran at " + now + ", yet it is " + p.phase());
                    doomed.add(p.name());
                }
            }
        }

        /** Live agents (not silent) start what is Scheduled on their node and tear down what is Terminating. */
        void agents() {
            for (String n : NODES) {
                if (silent.contains(n)) {
                    continue;
                }
                for (Project p : cp.projects().list(ProjectFilter.onNode(n))) {
                    ProjectPhase report = switch (p.phase()) {
                        case SCHEDULED -> ProjectPhase.RUNNING;
                        case TERMINATING -> ProjectPhase.TERMINATED;
                        default -> null;
                    };
                    if (report != null) {
                        cp.projects().reportStatus(p.name(), n, new ProjectStatusReport(report, "Reported", null));
                    }
                }
            }
        }

        void check() {
            Map<String, Project> now = new HashMap<>();
            cp.projects().list(ProjectFilter.ALL).forEach(p -> now.put(p.name(), p));
            ProjectScheduling.reserved(now.values()).forEach((node, used) -> {
                ResourceList alloc = cp.get(node).status().allocatable();
                assertTrue(alloc.fits(used), "node " + node + " is over-committed: " + used + " reserved of " + alloc);
            });
            for (Project p : now.values()) {
                Project was = before.get(p.name());
                String node = p.status().nodeRef();
                boolean newBinding = p.phase() == ProjectPhase.SCHEDULED && node != null
                        && (was == null || was.phase() == ProjectPhase.PENDING);
                if (newBinding) {
                    Node n = cp.get(node);
                    assertTrue(n.state() == NodeState.READY && !n.spec().unschedulable(),
                            p.name() + " was newly bound to " + node + ", which is " + n.state());
                }
            }
            before.forEach((name, was) -> {
                String node = was.status().nodeRef();
                if (node == null || !was.phase().holdsNode() || cp.get(node).state() != NodeState.DRAINING) {
                    return;
                }
                Project is = now.get(name);
                if (is == null || !node.equals(is.status().nodeRef())) {
                    assertTrue(doomed.contains(name), name + " left draining node " + node + " without being deleted or"
                            + " expired: it is now " + (is == null ? "gone" : is.phase() + " on " + is.status().nodeRef()));
                }
            });
            before = now;
        }

        /** Every node comes back, time passes with ticks and agents: every delete must complete. */
        void settle() {
            silent.clear();
            for (int i = 0; i < 4; i++) {
                time.advance(Duration.ofMinutes(11));
                NODES.forEach(this::beat);
                tick();
                agents();
                tick();
            }
            for (String name : doomed) {
                assertTrue(cp.store().projects().get(name).isEmpty(), name + " was deleted or expired, yet it is still "
                        + cp.store().projects().get(name).map(Project::phase).orElse(null));
            }
        }
    }

    @Test
    void theControlPlaneKeepsEveryProjectInvariantOverRandomHistories() {
        qt().withExamples(TRIES).withShrinkCycles(100).forAll(HISTORIES).checkAssert(events -> {
            World w = new World();
            List<Event> done = new ArrayList<>();
            try {
                for (Event e : events) {
                    done.add(e);
                    w.apply(e);
                    w.check();
                }
                w.settle();
            } catch (AssertionError | RuntimeException failure) {
                fail("after " + done + ": " + failure.getMessage(), failure);
            } finally {
                w.cp.close();
            }
        });
    }
}
