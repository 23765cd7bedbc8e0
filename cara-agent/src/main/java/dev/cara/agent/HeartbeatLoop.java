package dev.cara.agent;

import dev.cara.agent.AgentStatus.Connection;
import dev.cara.agent.AgentStatus.Phase;
import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Durations;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Ticker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One agent's life on the control plane: register (an existing node is fine: the agent restarted),
 * heartbeat at once and then every interval ±10%, back off while the server is unreachable or
 * failing, go idle when the node is deleted, and say goodbye on a planned stop.
 *
 * <p>It is a plain object driven by a {@link TaskScheduler}: each step does one call and schedules the
 * next, so tests run it on fake time with a fake client, and the simulator runs thousands of them on
 * one timer.
 *
 * <p>The agent claims {@code Ready} in its first accepted heartbeat after start and claims nothing
 * after that: a claim stays on the control plane until the agent makes another, and the control
 * plane, not the agent, decides the state (a claim never lifts Draining). On a planned stop it claims
 * {@code NotReady} with a {@code Ready} condition whose reason is {@link AgentClaim#AGENT_SHUTDOWN}.
 *
 * <p>Logging is once per change: one line when the connection is lost, one when it is back, one per
 * distinct refusal; every retry is logged only at FINE (DEBUG).
 *
 * <p>Threads: steps run one at a time, each on whatever thread the scheduler uses, under
 * {@code stepLock}, which guards every mutable field below it. {@link #shutdown} takes the same lock
 * so that its last heartbeat is never overtaken by a regular one. {@code status} is published for
 * readers on other threads (the health endpoint).
 */
public final class HeartbeatLoop {
    private final CaraClient client;
    private final Node manifest;
    private final String name;
    private final Supplier<HeartbeatReport> reports;
    private final Duration interval;
    private final Backoff backoff;
    private final TaskScheduler scheduler;
    private final Ticker ticker;
    private final DoubleSupplier random;
    private final Logger log;
    private final Runnable onRegistered;

    private final ReentrantLock stepLock = new ReentrantLock();
    private volatile boolean stopped;
    /** Set when shutdown gave up waiting for a step in flight: the loop is stopped, whatever `phase` says. */
    private volatile boolean abandoned;
    private volatile TaskScheduler.Scheduled pending;
    private volatile AgentStatus status;

    // Guarded by stepLock.
    private Phase phase = Phase.REGISTERING;
    private Connection connection = Connection.UNKNOWN;
    private int failuresInARow;
    private long lostSinceTick;
    private boolean claimedReady;
    private long heartbeats;
    private long lastHeartbeatTick;
    private String lastProblem;
    private String probeProblem;
    private HeartbeatReport lastReport;

    private HeartbeatLoop(Builder b) {
        this.client = b.client;
        this.manifest = b.manifest;
        this.name = b.manifest.name();
        this.reports = b.reports;
        this.interval = b.interval;
        this.backoff = b.backoff != null ? b.backoff : Backoff.upTo(b.interval);
        this.scheduler = b.scheduler;
        this.ticker = b.ticker;
        this.random = b.random;
        this.log = b.logger;
        this.onRegistered = b.onRegistered;
        publish();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts at once: registers, then sends the first heartbeat without waiting an interval. */
    public void start() {
        start(Duration.ZERO);
    }

    /** Starts after {@code delay} (the simulator spreads its hollow agents' starts this way). */
    public void start(Duration delay) {
        schedule(delay);
    }

    /** A snapshot for the health endpoint. */
    public AgentStatus status() {
        AgentStatus s = status;
        if (abandoned && s.phase() != Phase.STOPPED) {
            return new AgentStatus(s.nodeName(), Phase.STOPPED, s.connection(), s.lastHeartbeatTick(), s.heartbeats(),
                    s.failuresInARow(), s.lastProblem(), s.lastReport());
        }
        return s;
    }

    public String nodeName() {
        return name;
    }

    public Duration interval() {
        return interval;
    }

    /** Stops without a last heartbeat: the simulator's way to end. */
    public void stop() {
        stopped = true;
        cancelPending();
        stepLock.lock();
        try {
            phase = Phase.STOPPED;
            publish();
        } finally {
            stepLock.unlock();
        }
    }

    /**
     * A planned stop: no more regular heartbeats, then one last heartbeat that claims {@code NotReady}
     * with reason {@code AgentShutdown}, so that operators see the stop at once instead of after the
     * heartbeat timeout. Sent only when the node is registered. Returns within about {@code timeout}.
     *
     * <p>The last heartbeat is sent under {@code stepLock}, after any step in flight: otherwise that
     * step's heartbeat (the first one claims Ready) could land after the NotReady and undo it. When a
     * step still holds the lock at the end of the budget (a heartbeat stuck on a slow server), nothing
     * is sent: the control plane's heartbeat timeout marks the node NotReady instead, which is late but
     * never wrong.
     *
     * @return true if the control plane accepted the last heartbeat
     */
    public boolean shutdown(Duration timeout) {
        long deadline = ticker.read() + timeout.toNanos();
        stopped = true;
        cancelPending();
        boolean locked = false;
        try {
            locked = stepLock.tryLock(Math.max(0, deadline - ticker.read()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            // The step in flight sees `stopped` when it ends and schedules nothing; it owns the fields still.
            abandoned = true;
            log.warning(() -> "did not send the last heartbeat for node \"" + name + "\": an earlier heartbeat to "
                    + client.target() + " was still in flight after " + Durations.format(timeout)
                    + "; the control plane will mark the node NotReady when its heartbeat timeout passes");
            return false;
        }
        try {
            if (phase != Phase.REGISTERED) {
                return false;
            }
            HeartbeatReport goodbye = shutdownReport(currentReport());
            lastReport = goodbye;
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread sender = Thread.ofVirtual().name("cara-agent-last-heartbeat").start(() -> {
                try {
                    client.heartbeat(name, goodbye);
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            boolean finished = sender.join(Duration.ofNanos(Math.max(0, deadline - ticker.read())));
            if (finished && failure.get() == null) {
                log.info(() -> "sent the last heartbeat for node \"" + name + "\": NotReady (" + AgentClaim.AGENT_SHUTDOWN + ")");
                return true;
            }
            String why = finished ? describe(failure.get()) : "no answer within " + Durations.format(timeout);
            log.warning(() -> "could not send the last heartbeat for node \"" + name + "\" to " + client.target() + ": " + why
                    + "; the control plane will mark it NotReady when its heartbeat timeout passes");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            phase = Phase.STOPPED;
            publish();
            cancelPending();
            stepLock.unlock();
        }
    }

    // ------------------------------------------------------------------ the steps

    private void step() {
        stepLock.lock();
        try {
            pending = null;
            if (stopped) {
                return;
            }
            switch (phase) {
                case REGISTERING -> register();
                case REGISTERED -> heartbeat();
                case DELETED, STOPPED -> {
                    // idle: nothing to do until the agent is restarted
                }
            }
        } catch (RuntimeException e) {
            // A bug must not end the loop silently: log it once and try again later.
            problem(Level.WARNING, "unexpected error in the heartbeat loop: " + describe(e), e);
            schedule(interval);
        } finally {
            publish();
            stepLock.unlock();
        }
    }

    // The hook runs on the loop's thread; a failure in it must not look like a failed registration.
    private void registered() {
        try {
            onRegistered.run();
        } catch (RuntimeException e) {
            problem(Level.WARNING, "after registering node \"" + name + "\": " + describe(e), e);
        }
    }

    private void register() {
        try {
            client.register(manifest);
            log.info(() -> "registered node \"" + name + "\" with " + client.target());
            registered();
        } catch (AlreadyExistsException e) {
            // The normal case after a restart: the node is ours, carry on with it.
            log.info(() -> "node \"" + name + "\" is already registered with " + client.target() + "; carrying on with it");
            registered();
        } catch (InvalidException | ConflictException e) {
            connected();
            problem(Level.SEVERE, "the control plane at " + client.target() + " refused to register node \"" + name + "\": "
                    + e.getMessage() + "; retrying every " + Durations.format(interval), null);
            schedule(Jitter.around(interval, random.getAsDouble()));
            return;
        } catch (RuntimeException e) {
            unreachable(e);
            return;
        }
        connected();
        lastProblem = null;
        phase = Phase.REGISTERED;
        heartbeat();
    }

    private void heartbeat() {
        HeartbeatReport report = currentReport();
        if (!claimedReady) {
            report = claim(report, NodeState.READY, null);
        }
        lastReport = report;
        try {
            client.heartbeat(name, report);
        } catch (NotFoundException e) {
            connected();
            phase = Phase.DELETED;
            log.warning(() -> "node \"" + name + "\" was deleted from the control plane at " + client.target()
                    + "; heartbeats stopped. Restart the agent to register it again.");
            return;
        } catch (InvalidException | ConflictException e) {
            connected();
            problem(Level.WARNING, "the control plane at " + client.target() + " refused a heartbeat for node \"" + name + "\": "
                    + e.getMessage(), null);
            schedule(Jitter.around(interval, random.getAsDouble()));
            return;
        } catch (RuntimeException e) {
            unreachable(e);
            return;
        }
        claimedReady = true;
        heartbeats++;
        lastHeartbeatTick = ticker.read();
        connected();
        lastProblem = null;
        if (log.isLoggable(Level.FINE)) {
            log.fine("heartbeat " + heartbeats + " for node \"" + name + "\" accepted");
        }
        schedule(Jitter.around(interval, random.getAsDouble()));
    }

    /** The server did not answer, or answered 5xx: back off, and say so once. */
    private void unreachable(RuntimeException e) {
        failuresInARow++;
        Duration delay = backoff.delay(failuresInARow, random.getAsDouble());
        lastProblem = describe(e);
        if (connection != Connection.LOST) {
            String what = connection == Connection.CONNECTED ? "lost the connection to the control plane at "
                    : "cannot reach the control plane at ";
            connection = Connection.LOST;
            lostSinceTick = ticker.read();
            log.warning(() -> what + client.target() + ": " + lastProblem + "; retrying with backoff, at least every "
                    + Durations.format(interval));
        } else if (log.isLoggable(Level.FINE)) {
            log.fine("attempt " + failuresInARow + " failed: " + lastProblem + "; next in " + Durations.format(delay));
        }
        schedule(delay);
    }

    private void connected() {
        if (connection == Connection.LOST) {
            Duration down = Duration.ofNanos(ticker.read() - lostSinceTick);
            int attempts = failuresInARow;
            log.info(() -> "the connection to the control plane at " + client.target() + " is back after "
                    + Durations.format(down.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) + " (" + attempts + " failed attempts)");
        }
        connection = Connection.CONNECTED;
        failuresInARow = 0;
    }

    /** Logs a problem unless it is the one logged last: a loop that keeps failing the same way says so once. */
    private void problem(Level level, String message, Throwable cause) {
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            if (cause != null && log.isLoggable(Level.FINE)) {
                log.log(level, message, cause);
            } else {
                log.log(level, message);
            }
        }
    }

    private HeartbeatReport currentReport() {
        try {
            HeartbeatReport report = Objects.requireNonNull(reports.get(), "report");
            probeProblem = null;
            return report;
        } catch (RuntimeException e) {
            String message = "cannot read this machine's facts: " + describe(e) + "; reporting the last known ones";
            if (!message.equals(probeProblem)) { // once per distinct failure, not once per heartbeat
                probeProblem = message;
                log.log(Level.WARNING, message, log.isLoggable(Level.FINE) ? e : null);
            }
            return lastReport != null ? claim(lastReport, null, null) : HeartbeatReport.EMPTY;
        }
    }

    // ------------------------------------------------------------------ reports

    /** The report with a claimed state and, optionally, a Ready condition that gives the claim's reason. */
    static HeartbeatReport claim(HeartbeatReport report, NodeState state, Condition ready) {
        List<Condition> conditions = report.conditions() == null ? null : new ArrayList<>(report.conditions());
        if (conditions != null) {
            conditions.removeIf(c -> Condition.READY.equals(c.type()));
        }
        if (ready != null) {
            conditions = conditions == null ? new ArrayList<>() : conditions;
            conditions.add(ready);
        }
        return new HeartbeatReport(state, report.network(), report.capacity(), report.allocatable(), report.info(), conditions);
    }

    /** NotReady, with a Ready=False condition whose reason the control plane takes as the claim's reason. */
    static HeartbeatReport shutdownReport(HeartbeatReport facts) {
        return claim(facts, NodeState.NOT_READY, Condition.of(Condition.READY, ConditionStatus.FALSE,
                AgentClaim.AGENT_SHUTDOWN, "the agent is shutting down"));
    }

    // ------------------------------------------------------------------ plumbing

    private void schedule(Duration delay) {
        if (!stopped) {
            pending = scheduler.schedule(delay, this::step);
        }
    }

    private void cancelPending() {
        TaskScheduler.Scheduled p = pending;
        if (p != null) {
            p.cancel();
        }
    }

    private void publish() {
        status = new AgentStatus(name, phase, connection,
                heartbeats == 0 ? OptionalLong.empty() : OptionalLong.of(lastHeartbeatTick), heartbeats, failuresInARow,
                Optional.ofNullable(lastProblem), Optional.ofNullable(lastReport));
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            return describe(cause);
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Builds a loop; every part but the backoff, ticker, random source and logger is required. */
    public static final class Builder extends LoopBuilder<Builder> {
        private CaraClient client;
        private Node manifest;
        private Supplier<HeartbeatReport> reports;
        private Backoff backoff;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Runnable onRegistered = () -> { };

        private Builder() {
            super("heartbeat interval", null, Logger.getLogger(HeartbeatLoop.class.getName()));
        }

        public Builder client(CaraClient value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /** What to register: name, hostname and labels. */
        public Builder manifest(Node value) {
            this.manifest = Objects.requireNonNull(value, "manifest");
            return this;
        }

        /** Builds each heartbeat's facts; called once per heartbeat on the loop's thread. */
        public Builder reports(Supplier<HeartbeatReport> value) {
            this.reports = Objects.requireNonNull(value, "reports");
            return this;
        }

        /** Defaults to {@link Backoff#upTo} the interval. */
        public Builder backoff(Backoff value) {
            this.backoff = Objects.requireNonNull(value, "backoff");
            return this;
        }

        /** Numbers in [0, 1) for jitter and backoff. */
        public Builder random(DoubleSupplier value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * Runs on the loop's thread each time the node is registered (or found registered): what needs the
         * node to exist, and the credential its registration brought, starts from here. Must not block.
         */
        public Builder onRegistered(Runnable value) {
            this.onRegistered = Objects.requireNonNull(value, "onRegistered");
            return this;
        }

        public HeartbeatLoop build() {
            Objects.requireNonNull(client, "client is required");
            Objects.requireNonNull(manifest, "manifest is required");
            Objects.requireNonNull(reports, "reports is required");
            requireLoopParts();
            if (backoff != null && backoff.cap().compareTo(interval) > 0) {
                throw new IllegalArgumentException("the backoff cap " + backoff.cap() + " is longer than the interval " + interval);
            }
            return new HeartbeatLoop(this);
        }
    }
}
