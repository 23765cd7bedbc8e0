package dev.cara.bench;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.Placement;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectControl;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectScheduling;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.Scheduler;
import dev.cara.sdk.SchedulingSnapshot;
import dev.cara.sdk.spi.MemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binding 10,000 Pending projects over 100,000 nodes (issue 16's goal: all bound in under 2 s, 0.2 ms
 * per decision): a whole scheduling pass through {@link ProjectScheduling} (snapshot, usage and index
 * built, then one decision per project), the same pass with the plain per-project scan
 * ({@link Scheduler#place}, the baseline), and the control plane's own pass on the memory store (one
 * {@code tick()} that lists, decides and writes all 10,000 bindings). The fleet is mixed as in
 * {@link SchedulerBenchmark}: most nodes Ready, some NotReady, Draining or under pressure, four sizes,
 * three zones; a fifth of the projects select a zone. Run {@code main} to get the ratio printed:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.cara.bench.ProjectSchedulingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class ProjectSchedulingBenchmark {
    static final int NODES = 100_000;
    static final int PROJECTS = 10_000;
    /**
     * The baseline decides only this many of the projects: a whole naive pass takes minutes on a
     * shared machine, and its per-decision cost hardly changes over a pass (every decision scans all
     * nodes), so the ratio compares per-project times.
     */
    static final int NAIVE_SAMPLE = 500;
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static final Logger QUIET = Logger.getLogger(ProjectControl.class.getName());

    List<Node> fleet;
    List<Project> pending;
    MemoryStore store;
    ControlPlane cp;

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void setUp() {
        fleetOnly();
        // freshProjects force-deletes 10,000 bound projects per pass; each would log its warning
        QUIET.setLevel(Level.SEVERE);
        store = MemoryStore.create();
        cp = ControlPlane.builder().store(store).manualTicks(true).build().start();
        for (Node n : fleet) {
            cp.register(Node.builder(n.name()).label("zone", n.metadata().labels().get("zone")).build());
            if (n.state() == NodeState.READY) {
                ResourceList a = n.status().allocatable();
                cp.heartbeat(n.name(), new HeartbeatReport(NodeState.READY, null, a, a, null, null));
            }
        }
    }

    /** The fleet and the projects, without a control plane. */
    void fleetOnly() {
        Random random = new Random(42);
        fleet = new ArrayList<>(NODES);
        String[] sizes = {"4", "8", "16", "32"};
        for (int i = 0; i < NODES; i++) {
            int r = random.nextInt(100);
            NodeState state = r < 90 ? NodeState.READY : r < 95 ? NodeState.NOT_READY : NodeState.DRAINING;
            List<Condition> conditions = List.of(
                    Condition.of(Condition.READY, ConditionStatus.of(state == NodeState.READY), "x", null),
                    Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.of(random.nextInt(50) == 0), null, null));
            String cpu = sizes[random.nextInt(sizes.length)];
            ResourceList allocatable = ResourceList.parse(Map.of("cpu", cpu, "memory", (Integer.parseInt(cpu) * 4) + "Gi"));
            fleet.add(Node.builder(String.format("worker-%06d", i)).label("zone", "z" + (i % 3)).build()
                    .withStatus(new NodeStatus(state, null, allocatable, allocatable, null, null, conditions, null)));
        }
        pending = new ArrayList<>(PROJECTS);
        for (int i = 0; i < PROJECTS; i++) {
            Project.Builder b = Project.builder(String.format("project-%05d", i)).service("web", "nginx:alpine")
                    .request("cpu", (1 + random.nextInt(4)) * 250 + "m").request("memory", (1 + random.nextInt(4)) + "Gi");
            if (i % 5 == 0) {
                b.nodeSelector("zone", "z" + random.nextInt(3));
            }
            Project p = b.build();
            pending.add(p.withMetadata(p.metadata().withTimes(NOW, NOW)));
        }
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void tearDown() {
        cp.close();
        store.close();
    }

    /** Fresh Pending projects before each control-plane pass. */
    @Setup(org.openjdk.jmh.annotations.Level.Invocation)
    public void freshProjects() {
        for (Project p : cp.projects().list(ProjectFilter.ALL)) {
            cp.projects().delete(p.name(), true);
        }
        for (Project p : pending) {
            cp.projects().create(p);
        }
    }

    /** The pass the controllers run: snapshot, usage, index, then one decision per Pending project. */
    @Benchmark
    public int indexedPass() {
        ProjectScheduling cycle = ProjectScheduling.of(fleet, List.of());
        int bound = 0;
        for (Project p : pending) {
            if (cycle.schedule(p, NOW) instanceof ProjectScheduling.Bind) {
                bound++;
            }
        }
        return bound;
    }

    /** The baseline: the same pass with the plain scan of every node per decision, over {@value #NAIVE_SAMPLE} projects. */
    @Benchmark
    public int naivePass() {
        return naive(fleet, pending.subList(0, NAIVE_SAMPLE));
    }

    static int naive(Collection<Node> nodes, List<Project> projects) {
        SchedulingSnapshot snapshot = SchedulingSnapshot.of(nodes);
        SchedulingSnapshot.Usage usage = snapshot.usage(new HashMap<>());
        int bound = 0;
        for (Project p : projects) {
            Optional<Placement> placed = Scheduler.standard().place(snapshot, p.spec().schedulingRequest(), usage);
            if (placed.isPresent()) {
                usage.add(placed.get().node().name(), p.spec().resources().requests());
                bound++;
            }
        }
        return bound;
    }

    /** The control plane's pass on the memory store: lists, decides and writes every binding. */
    @Benchmark
    public long controlPlaneTick() {
        cp.tick();
        long scheduled = cp.projects().list(ProjectFilter.inPhases(ProjectPhase.SCHEDULED)).size();
        if (scheduled != PROJECTS) {
            throw new IllegalStateException("only " + scheduled + " of " + PROJECTS + " projects were bound");
        }
        return scheduled;
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ProjectSchedulingBenchmark.class.getSimpleName()).build()).run();
        Map<String, Double> ms = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ms.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        double indexed = ms.get("indexedPass");
        double naive = ms.get("naivePass") * PROJECTS / NAIVE_SAMPLE; // scaled to the whole pass
        double tick = ms.get("controlPlaneTick");
        System.out.printf("%n%,d projects over %,d nodes: indexed pass %.0f ms (%.3f ms per project), naive pass %.0f ms"
                        + " (%.3f ms per project, from %d of them): %.1fx faster; control plane tick %.0f ms (%.3f ms per project, goal < 2000 ms)%n",
                PROJECTS, NODES, indexed, indexed / PROJECTS, naive, naive / PROJECTS, NAIVE_SAMPLE, naive / indexed, tick, tick / PROJECTS);
    }
}
