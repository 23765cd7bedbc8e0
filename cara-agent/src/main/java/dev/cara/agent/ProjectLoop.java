package dev.cara.agent;

import dev.cara.agent.ReconcileOutcome.Step;
import dev.cara.agent.spi.AssignedProjects;
import dev.cara.agent.spi.ProjectHealth;
import dev.cara.agent.spi.ProjectRuntime;
import dev.cara.agent.spi.ProjectRuntimeException;
import dev.cara.sdk.Durations;
import dev.cara.sdk.Ticker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the {@link ProjectReconciler}'s passes on a {@link TaskScheduler}: one at once when
 * {@link #poke poked} (a project event for this node), one every resync interval whatever happens
 * (the watch may have missed something), and sooner, backing off from 1 s to the interval, while a
 * pass left something unsettled (a service starting, the server or the runtime unreachable).
 *
 * <p>Passes never overlap: a poke during a pass asks for one more pass right after it, and pokes
 * that come together make one pass. The loop runs on a scheduler of its own, never the heartbeat's,
 * so a slow runtime (an image pull takes minutes) cannot delay a heartbeat.
 *
 * <p>Logging, one line per thing done: a start, an accepted or refused report, a teardown; a pass
 * that could not reach the server or the runtime is logged once per distinct problem at WARNING and
 * at FINE after that. The first pass that reaches the server says what it adopted: an agent that
 * restarted finds its projects running and does not start them again.
 *
 * <p>Threads: pokes come from any thread (the watch's); passes run on the scheduler's threads, one
 * at a time. The fields below are guarded by {@code lock}; a pass runs outside it.
 */
public final class ProjectLoop {
    private final ProjectReconciler reconciler;
    private final ProjectRuntime runtime;
    private final TaskScheduler scheduler;
    private final Ticker ticker;
    private final Duration interval;
    private final Backoff backoff;
    private final String node;
    private final Logger log;

    private final Object lock = new Object();
    // Guarded by lock.
    private boolean stopped;
    private boolean running;
    private boolean again;
    private long generation;
    private TaskScheduler.Scheduled next;
    private long nextDue;
    private int unsettledInARow;
    private boolean adopted;
    private String lastProblem;
    private long passes;

    private ProjectLoop(Builder b) {
        this.runtime = b.runtime;
        this.reconciler = new ProjectReconciler(b.runtime, b.assigned);
        this.scheduler = b.scheduler;
        this.ticker = b.ticker;
        this.interval = b.interval;
        this.backoff = Backoff.upTo(b.interval);
        this.node = b.node;
        this.log = b.logger;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first pass, at once: it rebuilds the view from the server and the runtime. */
    public void start() {
        request(Duration.ZERO);
    }

    /** Something changed for this node: a pass now (or right after the one running). */
    public void poke() {
        request(Duration.ZERO);
    }

    /** No more passes; a pass in flight finishes. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            if (next != null) {
                next.cancel();
                next = null;
            }
        }
    }

    /** The passes run so far (for tests and the simulator's figures). */
    public long passes() {
        synchronized (lock) {
            return passes;
        }
    }

    public Duration interval() {
        return interval;
    }

    // Schedules a pass after `delay` unless one is due sooner already.
    private void request(Duration delay) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (running) {
                again |= delay.isZero();
                return; // the pass in flight schedules the next one when it ends
            }
            long due = ticker.read() + delay.toNanos();
            if (next != null && nextDue <= due) {
                return;
            }
            if (next != null) {
                next.cancel();
            }
            long gen = ++generation;
            nextDue = due;
            next = scheduler.schedule(delay, () -> pass(gen));
        }
    }

    private void pass(long gen) {
        boolean first;
        synchronized (lock) {
            // A task that was replaced by a sooner one but had already fired does nothing.
            if (stopped || running || gen != generation) {
                return;
            }
            running = true;
            next = null;
            first = !adopted;
        }
        ReconcileOutcome outcome = null;
        try {
            List<ProjectHealth> before = first ? runningBefore() : List.of();
            outcome = reconciler.reconcile();
            logOutcome(outcome, first, before);
        } catch (RuntimeException e) {
            // The reconciler turns the server's and the runtime's failures into steps; anything else is
            // a bug, which must not end the loop.
            log.log(Level.WARNING, "project reconcile pass failed: " + HeartbeatLoop.describe(e), e);
        } finally {
            Duration delay;
            synchronized (lock) {
                running = false;
                passes++;
                boolean settled = outcome != null && outcome.settled();
                unsettledInARow = settled ? 0 : unsettledInARow + 1;
                delay = again ? Duration.ZERO : settled ? interval : backoff.nominal(unsettledInARow);
                again = false;
            }
            request(delay);
        }
    }

    // What the runtime runs before the first pass, to say what was adopted; empty when it cannot tell.
    private List<ProjectHealth> runningBefore() {
        try {
            return runtime.list();
        } catch (ProjectRuntimeException e) {
            return List.of();
        }
    }

    private void logOutcome(ReconcileOutcome outcome, boolean first, List<ProjectHealth> before) {
        if (outcome.skipped().isPresent()) {
            String why = outcome.skipped().get() + "; the agent leaves what runs alone and asks again";
            if (first) {
                // Not reached yet since the start: the heartbeat loop already says so, once, for the same server.
                log.log(Level.FINE, () -> why);
            } else {
                problem(why);
            }
            return;
        }
        if (first) {
            synchronized (lock) {
                adopted = true;
            }
            List<String> kept = before.stream().map(ProjectHealth::project)
                    .filter(p -> outcome.stepsOf(p).stream().noneMatch(s -> s.action() == ReconcileOutcome.Action.TORN_DOWN))
                    .toList();
            log.info("projects of node \"" + node + "\" on the " + runtime.name() + " runtime: "
                    + (kept.isEmpty() ? "nothing running to adopt" : "adopted what already runs: " + String.join(", ", kept)));
        }
        boolean retried = false;
        for (Step s : outcome.steps()) {
            switch (s.action()) {
                case STARTED -> {
                    if (s.detail().isEmpty()) {
                        log.info("project \"" + s.project() + "\": starting its services on the " + runtime.name() + " runtime");
                    } else {
                        log.log(Level.FINE, () -> "project \"" + s.project() + "\": starting " + s.detail());
                    }
                }
                case REPORTED -> log.info("project \"" + s.project() + "\": reported " + s.report().phase().wireName()
                        + " (" + s.report().reason() + "): " + s.report().message());
                case REPORT_REFUSED -> log.info("project \"" + s.project() + "\": the server refused "
                        + s.report().phase().wireName() + " (it moved on): " + s.detail());
                case TORN_DOWN -> log.info("project \"" + s.project() + "\": torn down, because " + s.detail());
                case WAITING -> log.log(Level.FINE, () -> "project \"" + s.project() + "\": " + s.detail());
                case RETRY -> {
                    retried = true;
                    problem("project \"" + s.project() + "\": " + s.detail());
                }
            }
        }
        if (!retried) {
            synchronized (lock) {
                lastProblem = null;
            }
        }
    }

    private void problem(String message) {
        boolean repeat;
        synchronized (lock) {
            repeat = message.equals(lastProblem);
            lastProblem = message;
        }
        if (repeat) {
            log.log(Level.FINE, () -> message + " (again)");
        } else {
            log.warning(message + "; trying again within " + Durations.format(interval));
        }
    }

    /** Builds a loop; the runtime, the assigned projects, the node and the scheduler are required. */
    public static final class Builder extends LoopBuilder<Builder> {
        private ProjectRuntime runtime;
        private AssignedProjects assigned;
        private String node;

        private Builder() {
            // The interval is the resync: a pass at least this often, watch or not.
            super("reconcile interval", Duration.ofSeconds(10), Logger.getLogger(ProjectLoop.class.getName()));
        }

        public Builder runtime(ProjectRuntime value) {
            this.runtime = Objects.requireNonNull(value, "runtime");
            return this;
        }

        public Builder assigned(AssignedProjects value) {
            this.assigned = Objects.requireNonNull(value, "assigned");
            return this;
        }

        /** The node's name, for the log lines. */
        public Builder node(String value) {
            this.node = Objects.requireNonNull(value, "node");
            return this;
        }

        public ProjectLoop build() {
            Objects.requireNonNull(runtime, "runtime is required");
            Objects.requireNonNull(assigned, "assigned is required");
            requireLoopParts();
            Objects.requireNonNull(node, "node is required");
            return new ProjectLoop(this);
        }
    }
}
