package dev.cara.agent;

import dev.cara.agent.spi.AssignedProjects;
import dev.cara.agent.spi.SimulatedRuntime;
import dev.cara.agent.spi.StatusReport;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.WatchEvent;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The simulated fleet's projects: each hollow agent runs the projects bound to its node on a
 * {@link SimulatedRuntime} of its own, with the real {@link ProjectLoop} and {@link ProjectReconciler},
 * so that a simulation walks every project through Scheduled, Running and Terminated.
 *
 * <p>Cheap for 100,000 nodes: one project watch for the whole fleet (not one per node), whose events
 * are dispatched by {@code status.nodeRef} into a per-node cache that the node's reconciler reads
 * instead of listing the server; a node gets its runtime and loop only when a project first lands on
 * it. A report's answer updates the cache where it is safe to (see {@code report}); a report that
 * meets a 404 drops the project from it (it was removed while the watch was down).
 *
 * <p>Threads: watch events arrive on the client's thread and only update the caches and poke loops;
 * passes run on the simulator's workers, one at a time per node. {@code nodes} is a concurrent map;
 * {@code where} (project -> node) and each node's cache are guarded by this object's lock.
 */
final class FleetProjects {
    private final CaraClient client;
    private final Set<String> fleet;
    private final TaskScheduler scheduler;
    private final Ticker ticker;
    private final Duration interval;
    private final Logger log;
    private final ProjectWatcher watcher;
    private final Map<String, SimulatedNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, String> where = new HashMap<>();

    FleetProjects(CaraClient client, Set<String> fleet, TaskScheduler scheduler, Ticker ticker, Duration interval, Logger log) {
        this.client = Objects.requireNonNull(client, "client");
        this.fleet = Set.copyOf(fleet);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.log = Objects.requireNonNull(log, "log");
        this.watcher = new ProjectWatcher(client, ProjectFilter.ALL, this::dispatch, scheduler, interval, log);
    }

    void start() {
        watcher.start();
    }

    void stop() {
        watcher.stop();
        nodes.values().forEach(n -> n.loop.stop());
    }

    /** How many hollow agents have run a project so far. */
    int nodesWithProjects() {
        return nodes.size();
    }

    /** The simulated runtime of one hollow agent, or null when no project ever landed on it (tests). */
    SimulatedRuntime runtimeOf(String node) {
        SimulatedNode n = nodes.get(node);
        return n == null ? null : n.runtime;
    }

    // Files the project under its node (or nowhere), then pokes the node it left and the one it is on.
    private void dispatch(ProjectWatchEvent event) {
        Project p = event.object();
        String to = event.type() == WatchEvent.Type.DELETED ? null : p.status().nodeRef();
        if (to != null && !fleet.contains(to)) {
            to = null; // a real agent's project: not ours to run
        }
        String from;
        synchronized (this) {
            from = to == null ? where.remove(p.name()) : where.put(p.name(), to);
            if (from != null && !from.equals(to)) {
                nodes.get(from).cache.remove(p.name());
            }
            if (to != null) {
                node(to).cache.put(p.name(), p);
            }
        }
        if (from != null && !from.equals(to)) {
            nodes.get(from).loop.poke();
        }
        if (to != null) {
            nodes.get(to).loop.poke();
        }
    }

    // Called under this object's lock.
    private SimulatedNode node(String name) {
        return nodes.computeIfAbsent(name, n -> {
            SimulatedNode node = new SimulatedNode(n, SimulatedRuntime.builder(ticker).build());
            node.loop.start();
            return node;
        });
    }

    /** One hollow agent's projects: its cache of the watch, its runtime, its loop. */
    private final class SimulatedNode implements AssignedProjects {
        final String name;
        final SimulatedRuntime runtime;
        final ProjectLoop loop;
        final Map<String, Project> cache = new HashMap<>(); // guarded by FleetProjects.this

        SimulatedNode(String name, SimulatedRuntime runtime) {
            this.name = name;
            this.runtime = runtime;
            this.loop = ProjectLoop.builder().runtime(runtime).assigned(this).scheduler(scheduler).ticker(ticker)
                    .interval(interval).node(name).logger(log).build();
        }

        @Override
        public List<Project> list() {
            synchronized (FleetProjects.this) {
                return List.copyOf(cache.values());
            }
        }

        // The answer goes into the cache only where it cannot undo a newer watch event: Running over the
        // Scheduled it was reported for (a Terminating that overtook the answer stays), and a Terminated
        // project leaves the cache (the watch brings it back if it is bound here again). Without this the
        // next pass, before the watch catches up, would report the same step again.
        @Override
        public void report(String project, StatusReport report) {
            Project answer;
            try {
                answer = client.reportProjectStatus(project, new ProjectStatusReport(report.phase(), report.reason(), report.message()));
            } catch (NotFoundException e) {
                synchronized (FleetProjects.this) {
                    cache.remove(project);
                    where.remove(project, name);
                }
                throw e;
            }
            synchronized (FleetProjects.this) {
                Project cached = cache.get(project);
                if (cached == null) {
                    return;
                }
                if (answer.phase() == ProjectPhase.TERMINATED) {
                    cache.remove(project);
                    where.remove(project, name);
                } else if (answer.phase() == ProjectPhase.RUNNING && cached.phase() == ProjectPhase.SCHEDULED) {
                    cache.put(project, answer);
                }
            }
        }
    }
}
