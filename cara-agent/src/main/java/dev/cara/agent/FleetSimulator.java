package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Durations;
import dev.cara.sdk.Node;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.VersionInfo;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Many hollow agents in one JVM, to load a control plane the way a fleet does. Each hollow agent is a
 * real {@link HeartbeatLoop} (registration, first heartbeat at once, ±10% jitter, backoff) with its own
 * name and a believable report, started at a random point of the first interval.
 *
 * <p>The hollow agents also run the projects bound to their nodes, on simulated runtimes behind one
 * shared project watch ({@link FleetProjects}), and report Running and Terminated as real agents do.
 *
 * <p>Threads: one timer thread keeps every loop's time and hands each due step to a virtual thread,
 * so a blocking HTTP call never holds up the timer and 100,000 agents need no 100,000 platform threads.
 */
public final class FleetSimulator {
    private final CaraClient client;
    private final int nodes;
    private final Duration interval;
    private final Duration duration;
    private final Duration ramp;
    private final ServerUsage serverUsage;
    private final Duration progressEvery;
    private final String prefix;
    private final long seed;
    private final int maxInFlight;
    private final PrintStream out;
    private final Ticker ticker;
    private final Duration reconcileInterval;
    private final Duration steadyFor; // null: the run lasts its duration

    private FleetSimulator(Builder b) {
        this.client = b.client;
        this.nodes = b.nodes;
        this.interval = b.interval;
        this.duration = b.duration;
        this.ramp = b.ramp == null ? b.interval : b.ramp;
        this.serverUsage = b.serverUsage;
        this.progressEvery = b.progressEvery;
        this.prefix = b.prefix;
        this.seed = b.seed;
        this.maxInFlight = b.maxInFlight;
        this.out = b.out;
        this.ticker = b.ticker;
        this.reconcileInterval = b.reconcileInterval;
        this.steadyFor = b.steadyFor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The name of hollow agent i: {@code sim-00042} for prefix {@code sim} in a fleet of up to 99,999. */
    static String nodeName(String prefix, int i, int nodes) {
        int width = Math.max(5, String.valueOf(nodes).length());
        return prefix + "-" + String.format(Locale.ROOT, "%0" + width + "d", i);
    }

    /**
     * Runs the fleet for the duration, printing progress, and returns the figures.
     *
     * @throws InterruptedException if interrupted while waiting for the run to end
     */
    public SimulationSummary run() throws InterruptedException {
        MeasuringClient measured = new MeasuringClient(client, ticker, maxInFlight);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cara-simulator-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        TaskScheduler scheduler = TaskScheduler.of(timer, workers);
        Logger quiet = Logger.getAnonymousLogger();
        quiet.setUseParentHandlers(false);
        quiet.setLevel(Level.OFF); // 100,000 agents logging "connection lost" would drown the figures

        SyntheticHosts hosts = new SyntheticHosts(new HostReports(dev.cara.sdk.ResourceList.parse(
                java.util.Map.of("cpu", "100m", "memory", "256Mi", "ephemeral-storage", "1Gi")),
                PressureThreshold.percent(5), PressureThreshold.percent(10), VersionInfo.current().version() + "-sim", null),
                seed, 9090);
        SplittableRandom random = new SplittableRandom(seed);
        List<HeartbeatLoop> loops = new ArrayList<>(nodes);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < nodes; i++) {
            String name = nodeName(prefix, i, nodes);
            names.add(name);
            int index = i;
            loops.add(HeartbeatLoop.builder()
                    .client(measured)
                    .manifest(Node.builder(name).hostname(name).label("cara.dev/simulated", "true").build())
                    .reports(() -> hosts.report(index))
                    .interval(interval)
                    .scheduler(scheduler)
                    .ticker(ticker)
                    .logger(quiet)
                    .build());
        }

        out.printf(Locale.ROOT, "simulating %,d nodes against %s: heartbeat every %s (±10%%) for %s, starts spread over %s,"
                        + " expecting %.1f heartbeats/s%n",
                nodes, client.target(), Durations.format(interval), Durations.format(duration), Durations.format(ramp),
                nodes / seconds(interval));
        long start = ticker.read();
        Progress progress = new Progress(measured, start);
        for (HeartbeatLoop loop : loops) {
            loop.start(Duration.ofNanos((long) (random.nextDouble() * ramp.toNanos())));
        }
        FleetProjects projects = new FleetProjects(measured, names, scheduler, ticker, reconcileInterval, quiet);
        projects.start();
        CountDownLatch done = new CountDownLatch(1);
        SteadyState steady = new SteadyState(measured, start, done);
        timer.scheduleAtFixedRate(steady::check, 0, 50, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(progress::print, progressEvery.toNanos(), progressEvery.toNanos(), TimeUnit.NANOSECONDS);
        timer.schedule(done::countDown, duration.toNanos(), TimeUnit.NANOSECONDS);
        done.await();

        // The figures end now; the calls still queued for a permit give up at once, so that stopping a
        // loop waits at most for its call in flight (a loop's stop waits for its step), and the loops
        // are stopped side by side: the run ends within about one request timeout of its duration.
        long end = ticker.read();
        long beatsAtEnd = measured.heartbeats.sum();
        ServerUsage.Sample usageAtEnd = steady.sample();
        projects.stop();
        measured.end();
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (HeartbeatLoop loop : loops) {
                stopping.execute(loop::stop);
            }
        }
        timer.shutdownNow();
        boolean terminated = timer.awaitTermination(5, TimeUnit.SECONDS); // steady's fields are written on the timer thread
        workers.shutdown();
        boolean drained = workers.awaitTermination(10, TimeUnit.SECONDS) && terminated;
        // Too short a steady window says little: at least half an interval, so most agents beat in it.
        boolean steadyMeasured = terminated && steady.at >= 0 && end - steady.at >= interval.toNanos() / 2;
        double steadyRate = steadyMeasured ? (beatsAtEnd - steady.heartbeats) / ((end - steady.at) / 1e9) : Double.NaN;
        SimulationSummary.ServerCost cost = SimulationSummary.ServerCost.UNMEASURED;
        if (steadyMeasured && steady.usage != null && usageAtEnd != null) {
            cost = new SimulationSummary.ServerCost(serverUsage.describe(), usageAtEnd.cpuSeconds() - steady.usage.cpuSeconds(),
                    beatsAtEnd - steady.heartbeats, usageAtEnd.rssBytes());
        }
        long lastRegistration = measured.lastRegistrationAt();
        double registrationSeconds = measured.registered.sum() + measured.alreadyRegistered.sum() >= nodes
                ? (lastRegistration - start) / 1e9 : Double.NaN;
        int reporting = (int) loops.stream().filter(l -> l.status().heartbeats() > 0).count();
        Histogram beats = measured.heartbeatLatency();
        SimulationSummary summary = new SimulationSummary(nodes, interval, duration, Duration.ofNanos(end - start),
                measured.registered.sum(), measured.alreadyRegistered.sum(), registrationSeconds, reporting,
                measured.heartbeats.sum(), steadyRate, beats.getValueAtPercentile(50), beats.getValueAtPercentile(99),
                beats.getMaxValue(), measured.registerLatency().getValueAtPercentile(99), cost, measured.errors(),
                measured.projectReports());
        if (!drained) {
            out.println("warning: some calls were still in flight 10 s after the end; they are not counted");
        }
        return summary;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /**
     * Steady state starts one interval after every hollow agent has started (the ramp is over) and
     * registered: by then each has sent its first heartbeat and beats once per interval, and the burst
     * of registration (with the server's JIT warm-up it brings) is behind. At that moment it takes the
     * heartbeat count and a sample of the server's usage, against which the end of the run is measured.
     * With {@code steadyFor} set it ends the run once the steady state has lasted that long, so that the
     * window measured does not depend on how long registration took.
     * Runs on the timer thread, which owns its fields until the timer has terminated.
     */
    private final class SteadyState {
        private final MeasuringClient measured;
        private final long start;
        private final CountDownLatch done;
        long at = -1;
        long heartbeats;
        ServerUsage.Sample usage;
        private long registeredAt = -1;
        private boolean warned;

        SteadyState(MeasuringClient measured, long start, CountDownLatch done) {
            this.measured = measured;
            this.start = start;
            this.done = done;
        }

        void check() {
            long now = ticker.read();
            if (at >= 0 && steadyFor != null && now - at >= steadyFor.toNanos()) {
                done.countDown();
            }
            if (at >= 0 || measured.ended() || now - start < ramp.toNanos()
                    || measured.registered.sum() + measured.alreadyRegistered.sum() < nodes) {
                return;
            }
            if (registeredAt < 0) {
                registeredAt = now;
            }
            if (now - registeredAt < interval.toNanos()) {
                return;
            }
            usage = sample();
            heartbeats = measured.heartbeats.sum();
            at = ticker.read();
            out.printf(Locale.ROOT, "[%5.0fs] steady state from here on (all %,d nodes registered an interval ago%s)%n", (at - start) / 1e9, nodes,
                    usage == null ? "" : String.format(Locale.ROOT, "; server RSS %.0f MiB", usage.rssBytes() / 1048576.0));
        }

        /** The server's usage now, or null without a source or when it cannot be read (said once). */
        ServerUsage.Sample sample() {
            if (serverUsage == null) {
                return null;
            }
            try {
                return serverUsage.sample();
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    out.println("warning: cannot read the server's CPU and memory: " + e.getMessage());
                }
                return null;
            }
        }
    }

    /** One line per period: how far the run is, what the last period achieved. Runs on the timer thread. */
    private final class Progress {
        private final MeasuringClient measured;
        private final long start;
        private long lastTick;
        private long lastHeartbeats;

        Progress(MeasuringClient measured, long start) {
            this.measured = measured;
            this.start = start;
            this.lastTick = start;
        }

        void print() {
            long now = ticker.read();
            long beats = measured.heartbeats.sum();
            Histogram window = measured.takeWindow();
            double rate = (beats - lastHeartbeats) / ((now - lastTick) / 1e9);
            out.printf(Locale.ROOT, "[%5.0fs] registered %,d/%,d  heartbeats %,d (%.1f/s)  p99 %.2f ms  max %.2f ms  errors %,d  in flight %d%n",
                    (now - start) / 1e9, measured.registered.sum() + measured.alreadyRegistered.sum(), nodes, beats, rate,
                    window.getValueAtPercentile(99) / 1e6, window.getMaxValue() / 1e6, measured.errorCount(), measured.inFlight());
            lastTick = now;
            lastHeartbeats = beats;
        }
    }

    /** Builds a simulator; the client, node count, interval and duration are required. */
    public static final class Builder {
        private CaraClient client;
        private int nodes;
        private Duration interval;
        private Duration duration;
        private Duration ramp;
        private ServerUsage serverUsage;
        private Duration progressEvery = Duration.ofSeconds(10);
        private String prefix = "sim";
        private long seed = 1;
        private int maxInFlight = 256;
        private PrintStream out = System.out;
        private Ticker ticker = Ticker.system();
        private Duration reconcileInterval = Duration.ofSeconds(10);
        private Duration steadyFor;

        private Builder() {
        }

        /**
         * Ends the run once the steady state (see {@code SteadyState}) has lasted this long, or at the
         * duration, whichever comes first. Unset by default: the run lasts its duration.
         */
        public Builder steadyFor(Duration value) {
            this.steadyFor = positive("--steady", value);
            return this;
        }

        /** How often each hollow agent with projects reconciles them besides on every event (default 10s). */
        public Builder reconcileInterval(Duration value) {
            this.reconcileInterval = positive("--reconcile-interval", value);
            return this;
        }

        public Builder client(CaraClient value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        public Builder nodes(int value) {
            this.nodes = atLeastOne("--nodes", value);
            return this;
        }

        public Builder interval(Duration value) {
            this.interval = positive("--interval", value);
            return this;
        }

        public Builder duration(Duration value) {
            this.duration = positive("--duration", value);
            return this;
        }

        /**
         * The hollow agents start at random points of this span (default: the interval, as a fleet that
         * has been up a while beats); zero starts them all at once, which times registration flat out.
         */
        public Builder ramp(Duration value) {
            Objects.requireNonNull(value, "--ramp");
            if (value.isNegative()) {
                throw new dev.cara.sdk.InvalidException("--ramp", Durations.format(value), "zero or a positive duration such as 30s");
            }
            this.ramp = value;
            return this;
        }

        /** Where to read the server's CPU time and memory; without it the summary has no server cost. */
        Builder serverUsage(ServerUsage value) {
            this.serverUsage = Objects.requireNonNull(value, "serverUsage");
            return this;
        }

        public Builder progressEvery(Duration value) {
            this.progressEvery = positive("--progress", value);
            return this;
        }

        /** Hollow agents are named {@code PREFIX-00000}, {@code PREFIX-00001}, ... */
        public Builder prefix(String value) {
            dev.cara.sdk.Names.requireNodeName("--prefix", value + "-0");
            this.prefix = value;
            return this;
        }

        /** Seeds the start offsets and machine shapes, so that two runs load the server alike. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Calls in flight at once; more wait on our side (and that wait counts in the latency). */
        public Builder maxInFlight(int value) {
            this.maxInFlight = atLeastOne("--max-in-flight", value);
            return this;
        }

        public Builder out(PrintStream value) {
            this.out = Objects.requireNonNull(value, "out");
            return this;
        }

        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        public FleetSimulator build() {
            Objects.requireNonNull(client, "client is required");
            if (nodes < 1) {
                throw new IllegalStateException("nodes is required");
            }
            Objects.requireNonNull(interval, "interval is required");
            Objects.requireNonNull(duration, "duration is required");
            return new FleetSimulator(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new dev.cara.sdk.InvalidException(what, Durations.format(d), "a positive duration such as 30s");
            }
            return d;
        }

        private static int atLeastOne(String what, int value) {
            if (value < 1) {
                throw new dev.cara.sdk.InvalidException(what, String.valueOf(value), "at least 1");
            }
            return value;
        }
    }
}
