package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectWatchEvent;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one project watch open: opens it, and when the server ends it or cannot be reached, opens it
 * again after a backoff (1 s doubling up to the cap). Each event goes to the sink on the client's
 * thread, so the sink must only hand work on (poke a {@link ProjectLoop}), never block.
 *
 * <p>The watch is a shortcut, not the truth: the reconcile loop's periodic pass lists the server
 * anyway, so an event lost while the watch was down costs at most one resync interval.
 *
 * <p>Threads: {@link #start} and the reopen tasks run on the scheduler's thread, the close callback on
 * the client's; the fields below are guarded by this object's lock. Logs a lost watch once, at WARNING,
 * and each retry at FINE.
 */
final class ProjectWatcher {
    private final CaraClient client;
    private final ProjectFilter filter;
    private final Consumer<ProjectWatchEvent> sink;
    private final TaskScheduler scheduler;
    private final Backoff backoff;
    private final Logger log;

    // Guarded by this.
    private boolean stopped;
    private int failures;
    private boolean warned;
    private dev.cara.sdk.Watch watch;
    private TaskScheduler.Scheduled reopen;

    ProjectWatcher(CaraClient client, ProjectFilter filter, Consumer<ProjectWatchEvent> sink, TaskScheduler scheduler,
                   Duration maxBackoff, Logger log) {
        this.client = Objects.requireNonNull(client, "client");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.backoff = Backoff.upTo(maxBackoff);
        this.log = Objects.requireNonNull(log, "log");
    }

    void start() {
        open();
    }

    private void open() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            reopen = null;
        }
        dev.cara.sdk.Watch opened;
        try {
            opened = client.watchProjects(filter, this::deliver, this::closed);
        } catch (RuntimeException e) {
            // An unreachable server is the heartbeat loop's to report (once per outage); anything else
            // (a refusal, a server without the project API) is this watch's own news.
            retry(HeartbeatLoop.describe(e), !(e instanceof dev.cara.sdk.UnavailableException));
            return;
        }
        synchronized (this) {
            if (!stopped) {
                watch = opened;
                return;
            }
        }
        opened.close(); // stopped while it was opening
    }

    private void deliver(ProjectWatchEvent event) {
        synchronized (this) {
            // An event proves the stream works: only then does the backoff start from the bottom again,
            // so that a server that ends every watch at once is not asked again every second.
            failures = 0;
            if (warned) {
                warned = false;
                log.info("the project watch is back");
            }
        }
        sink.accept(event);
    }

    private void closed(String reason) {
        retry("the server ended the project watch: " + reason, true);
    }

    private void retry(String why, boolean news) {
        Duration delay;
        synchronized (this) {
            if (stopped) {
                return;
            }
            watch = null;
            failures++;
            delay = backoff.nominal(failures);
            if (!warned && news) {
                warned = true;
                log.warning("the project watch is down (" + why + "); the agent still reconciles its projects every"
                        + " resync interval, and opens the watch again in the background");
            } else {
                log.log(Level.FINE, () -> "project watch: " + why + "; trying again in " + dev.cara.sdk.Durations.format(delay));
            }
            reopen = scheduler.schedule(delay, this::open);
        }
    }

    /** Closes the watch and stops reopening it. */
    void stop() {
        dev.cara.sdk.Watch open;
        synchronized (this) {
            stopped = true;
            if (reopen != null) {
                reopen.cancel();
            }
            open = watch;
            watch = null;
        }
        if (open != null) {
            open.close();
        }
    }
}
