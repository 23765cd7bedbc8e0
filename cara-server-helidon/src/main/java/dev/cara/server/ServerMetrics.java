package dev.cara.server;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.ControlPlaneListener;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.StateTransition;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's meters, served in Prometheus text at {@code /observe/metrics}:
 * {@code cara_heartbeats_received_total}, {@code cara_nodes{state}},
 * {@code cara_state_transitions_total{from,to}}, {@code cara_http_request_seconds{method,route,status}},
 * {@code cara_store_operation_seconds{operation}} (fed by {@link TimedNodeStore}),
 * {@code cara_leader{replica}} (1 while this replica leads, else 0) with {@code cara_leader_term}
 * (the term it leads under; 0 when following or when the store has a single writer), and
 * {@code cara_watch_subscribers} (open watch streams).
 *
 * <p>It hears the control plane as a {@link ControlPlaneListener} and times requests as a routing
 * {@link Filter}. Meters are thread-safe; the cached node counts are an atomically swapped value; the
 * timer caches are concurrent maps whose values, once there, never change.
 *
 * <p>The timers keep count, sum and max but no client-side percentiles: those recorded every value
 * into a ring of histograms on every request (the hot path's store and request timers), and quantiles
 * computed per process cannot be aggregated across replicas anyway; Prometheus derives rates and mean
 * latency from {@code _count} and {@code _sum}.
 */
final class ServerMetrics implements ControlPlaneListener, Filter {
    private static final Duration COUNTS_TTL = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final Counter heartbeats;
    private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
    /** By route, then {@link #timerSlot}: no key built per request. */
    private final Map<String, AtomicReferenceArray<Timer>> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> storeTimers = new ConcurrentHashMap<>();
    private final AtomicReference<Counts> counts = new AtomicReference<>();
    private volatile Supplier<Map<NodeState, Long>> countByState = Map::of;
    private volatile IntSupplier watchSubscribers = () -> 0;

    private record Counts(long at, Map<NodeState, Long> byState) {
    }

    ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        ProcessMetrics.register(registry);
        this.heartbeats = registry.getOrCreate(Counter.builder("cara.heartbeats.received")
                .description("Heartbeats applied to nodes"));
        for (NodeState state : NodeState.values()) {
            // A gauge is bound to its supplier when created: the newest server in this JVM takes it over.
            registry.remove("cara.nodes", List.of(Tag.create("state", state.wireName())));
            registry.getOrCreate(Gauge.builder("cara.nodes", () -> nodes(state))
                    .description("Nodes in each state")
                    .tags(List.of(Tag.create("state", state.wireName()))));
        }
        registry.remove("cara.watch.subscribers", List.of());
        registry.getOrCreate(Gauge.builder("cara.watch.subscribers", () -> watchSubscribers.getAsInt())
                .description("Open watch streams, each holding one control-plane watch"));
    }

    /** Where the open-watch count comes from; set once the watch streams exist. */
    void observeWatches(WatchStreams watches) {
        watchSubscribers = watches::openCount;
    }

    /** Where the node counts and the leadership come from; set once the control plane exists. */
    void observe(ControlPlane controlPlane) {
        countByState = controlPlane::countByState;
        List<Tag> replica = List.of(Tag.create("replica", controlPlane.leadership().replica()));
        // As with cara.nodes: the newest server in this JVM takes the gauges over.
        registry.remove("cara.leader", replica);
        registry.getOrCreate(Gauge.builder("cara.leader", () -> controlPlane.leadership().leading() ? 1 : 0)
                .description("1 while this replica leads (runs the heartbeat monitor and writes state transitions), else 0")
                .tags(replica));
        registry.remove("cara.leader.term", List.of());
        registry.getOrCreate(Gauge.builder("cara.leader.term", () -> controlPlane.leadership().term())
                .description("The leadership term this replica writes under; 0 when it follows or is its store's only writer"));
    }

    private long nodes(NodeState state) {
        long now = System.nanoTime();
        Counts c = counts.get();
        if (c == null || now - c.at() > COUNTS_TTL.toNanos()) {
            // A scrape asks for each state; one count serves them all.
            c = new Counts(now, countByState.get());
            counts.set(c);
        }
        return c.byState().getOrDefault(state, 0L);
    }

    @Override
    public void heartbeat(String name) {
        heartbeats.increment();
    }

    @Override
    public void transition(StateTransition t) {
        String from = t.from() == null ? "none" : t.from().wireName();
        String to = t.to() == null ? "none" : t.to().wireName();
        transitions.computeIfAbsent(from + ">" + to, k -> registry.getOrCreate(Counter.builder("cara.state.transitions")
                .description("Node state changes, by the state left and the state entered")
                .tags(List.of(Tag.create("from", from), Tag.create("to", to))))).increment();
        counts.set(null); // the next scrape recounts
    }

    /** The timer of one store operation; {@link TimedNodeStore} looks each up once. */
    Timer storeTimer(String operation) {
        return storeTimers.computeIfAbsent(operation, op -> registry.getOrCreate(Timer.builder("cara.store.operation")
                .description("Latency of store operations")
                .tags(List.of(Tag.create("operation", op)))
                .percentiles(NO_PERCENTILES)));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            Method method = req.prologue().method();
            String route = route(req.prologue().uriPath().rawPath(), req.prologue().query().rawValue().contains("watch"));
            int statusClass = Math.clamp(res.status().code() / 100, 1, 5);
            AtomicReferenceArray<Timer> timers = requestTimers.computeIfAbsent(route,
                    r -> new AtomicReferenceArray<>(METHODS.size() * 6));
            int slot = timerSlot(method, statusClass);
            Timer timer = timers.get(slot);
            if (timer == null) {
                // A benign race: getOrCreate gives every thread the same timer.
                timer = registry.getOrCreate(Timer.builder("cara.http.request")
                        .description("Latency of API requests, by method, route and status class")
                        .tags(List.of(Tag.create("method", method.text()), Tag.create("route", route),
                                Tag.create("status", statusClass + "xx")))
                        .percentiles(NO_PERCENTILES));
                if (METHODS.contains(method)) {
                    timers.set(slot, timer);
                }
            }
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Helidon gives a timer six percentiles unless told otherwise; an empty list turns them off. */
    private static final double[] NO_PERCENTILES = {};

    private static final List<Method> METHODS = List.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE,
            Method.PATCH, Method.OPTIONS);

    /** A cached timer's place: a known method and a status class; other methods are looked up each time. */
    private static int timerSlot(Method method, int statusClass) {
        return Math.max(0, METHODS.indexOf(method)) * 6 + statusClass;
    }

    /** The route template, so that each node name does not become a time series of its own. */
    static String route(String path, boolean watch) {
        if (path.equals(NodesApi.NODES)) {
            return watch ? NodesApi.NODES + "?watch" : NodesApi.NODES;
        }
        if (path.startsWith(NodesApi.NODES + "/")) {
            return path.endsWith("/heartbeat") ? NodesApi.NODES + "/{name}/heartbeat" : NodesApi.NODES + "/{name}";
        }
        if (path.equals(ProjectsApi.PROJECTS)) {
            return watch ? ProjectsApi.PROJECTS + "?watch" : ProjectsApi.PROJECTS;
        }
        if (path.startsWith(ProjectsApi.PROJECTS + "/")) {
            return path.endsWith(ProjectsApi.STATUS) ? ProjectsApi.PROJECTS + "/{name}/status" : ProjectsApi.PROJECTS + "/{name}";
        }
        if (path.equals(NodesApi.VERSION) || path.startsWith("/observe")) {
            return path;
        }
        return "other";
    }
}
