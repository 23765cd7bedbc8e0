package dev.cara.sdk;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectChange;
import dev.cara.sdk.spi.ProjectStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The leader's project controllers: one pass runs the lifecycle ({@link ProjectLifecycle}: expiry,
 * rescheduling, forced termination, removal of Terminated projects), then the scheduler
 * ({@link ProjectScheduling}) over the Pending projects. Every write is a compare-and-set on what the
 * decision was made from, under the leader's fence, so two replicas never double-book a node.
 *
 * <p>A pass runs when something changed (the project feed moved, or a node changed state, was
 * registered, deleted or edited), when a lifecycle recheck falls due ({@link ProjectLifecycle.Keep}),
 * and every resync interval (the ticker's), which also catches node edits made on other replicas.
 * A pass with nothing to do writes nothing: an unchanged {@code Scheduled=False} is not written again.
 *
 * <p><b>Ownership.</b> {@code passLock} is held by {@link #run}; it guards the marks, the followed
 * project revision, the recheck time and the time of the last full pass. Other threads only add to
 * {@code changedNodes} (heartbeat and API threads, through {@link #nodeChanged}) and set
 * {@code reset} (a leadership change), both lock-free; the pass drains them. A leadership change
 * clears the marks at the next pass, so a new leader gives every node a full grace period.
 */
final class ProjectControllers {
    private static final int FEED_PAGE = 10_000;

    /** The leader's term, checked before each write: a lost leadership stops the pass at once. */
    interface Term {
        boolean current();

        Fence fence();

        /** A fenced write was refused: step down. */
        void refused(FencedException e);
    }

    private final ProjectStore projects;
    private final NodeStore nodes;
    private final Clock clock;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final ProjectLifecycle lifecycle;
    private final long resyncNanos;
    private final Listeners listeners;
    private final ControlPlaneEvents events;
    private final ConcurrentLinkedQueue<String> changedNodes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reset = new AtomicBoolean(true);
    private final Object passLock = new Object();
    // Guarded by passLock.
    private final NotReadyMarks marks = new NotReadyMarks();
    private long followedRevision = -1; // -1: not following, the next pass is a full one
    private Instant recheckAt;
    private long lastFullPass;

    ProjectControllers(ProjectStore projects, NodeStore nodes, Clock clock, Ticker ticker, Scheduler scheduler,
                       ProjectLifecycle lifecycle, Duration resync, Listeners listeners, ControlPlaneEvents events) {
        this.events = events;
        this.projects = projects;
        this.nodes = nodes;
        this.clock = clock;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.lifecycle = lifecycle;
        this.resyncNanos = resync.toNanos();
        this.listeners = listeners;
    }

    /** A node changed in a way the controllers care about (state, labels, spec, created, deleted). Any thread. */
    void nodeChanged(String name) {
        changedNodes.add(name);
    }

    /** Leadership changed: forget the marks and start over with a full pass. Any thread. */
    void leadershipChanged() {
        reset.set(true);
    }

    /** One round, on the leader only; {@code term} is the leadership it runs under. */
    void run(Term term) {
        synchronized (passLock) {
            if (!term.current()) {
                return;
            }
            Instant now = clock.instant();
            boolean due = false;
            if (reset.getAndSet(false)) {
                marks.clear();
                followedRevision = -1;
                due = true;
            }
            for (String name; (name = changedNodes.poll()) != null; ) {
                marks.observe(name, nodes.get(name).orElse(null), now);
                due = true;
            }
            due |= followProjects();
            due |= recheckAt != null && !now.isBefore(recheckAt);
            due |= ticker.read() - lastFullPass >= resyncNanos;
            if (due) {
                pass(term, now);
            }
        }
    }

    /** Whether projects changed since the last pass (or the feed cannot tell). */
    private boolean followProjects() {
        if (followedRevision < 0) {
            followedRevision = projects.revision();
            return true;
        }
        boolean changed = false;
        while (true) {
            List<ProjectChange> page;
            try {
                page = projects.changesSince(followedRevision, FEED_PAGE);
            } catch (HistoryGoneException e) {
                followedRevision = projects.revision();
                return true;
            }
            if (!page.isEmpty()) {
                followedRevision = page.get(page.size() - 1).revision();
                changed = true;
            }
            if (page.size() < FEED_PAGE) {
                return changed;
            }
        }
    }

    private void pass(Term term, Instant now) {
        lastFullPass = ticker.read();
        recheckAt = null;
        List<Project> all = projects.list().projects();
        if (reconcileLifecycle(term, all, now)) {
            all = projects.list().projects(); // freed nodes and re-queued projects count in this pass
        }
        marks.retainOnly(heldNodes(all));
        if (term.current()) {
            schedule(term, all, now);
        }
    }

    /** The nodes that projects hold: the only ones whose NotReady marks still matter. */
    private static Set<String> heldNodes(List<Project> all) {
        Set<String> held = new HashSet<>();
        for (Project p : all) {
            if (p.status().nodeRef() != null && p.phase().holdsNode()) {
                held.add(p.status().nodeRef());
            }
        }
        return held;
    }

    /** How many nodes are marked NotReady now (tests). */
    int markedNodes() {
        synchronized (passLock) {
            return marks.size();
        }
    }

    /** Runs the lifecycle on every project; whether it wrote anything. */
    private boolean reconcileLifecycle(Term term, List<Project> all, Instant now) {
        boolean wrote = false;
        Map<String, Optional<Node>> seen = new HashMap<>();
        for (Project p : all) {
            String ref = p.status().nodeRef();
            ProjectLifecycle.Outcome outcome;
            if (ref == null || !p.phase().holdsNode()) {
                outcome = lifecycle.reconcile(p, null, Optional.empty(), now);
            } else {
                Node node = seen.computeIfAbsent(ref, nodes::get).orElse(null);
                outcome = lifecycle.reconcile(p, node, marks.observe(ref, node, now), now);
            }
            if (!term.current()) {
                return wrote;
            }
            switch (outcome) {
                case ProjectLifecycle.Keep keep -> keep.recheckAfter().ifPresent(d -> recheckAt(now.plus(d)));
                case ProjectLifecycle.Transition t -> {
                    if (write(term, p.name(), current -> t.apply(current, now)) != null) {
                        wrote = true;
                        events.reconciled(p.name(), t);
                        ProjectEvent.Kind kind = t.to() == ProjectPhase.PENDING ? ProjectEvent.Kind.RESCHEDULED
                                : t.to() == ProjectPhase.TERMINATED ? ProjectEvent.Kind.TERMINATED : ProjectEvent.Kind.EXPIRED;
                        tell(kind, p.name(), t.nodeRef(), t.message(), now);
                    }
                }
                case ProjectLifecycle.Remove r -> {
                    if (remove(p.name(), r, now)) {
                        wrote = true;
                        events.reconciled(p.name(), r);
                        tell(ProjectLifecycle.EXPIRED.equals(r.reason()) ? ProjectEvent.Kind.EXPIRED : ProjectEvent.Kind.REMOVED,
                                p.name(), p.status().nodeRef(), r.message(), now);
                    }
                }
            }
        }
        return wrote;
    }

    private void schedule(Term term, List<Project> all, Instant now) {
        List<Project> pending = all.stream()
                .filter(p -> p.phase() == ProjectPhase.PENDING && !p.spec().expiredAt(now))
                .sorted(Comparator.comparing((Project p) -> p.metadata().createdAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Project::name))
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        ProjectScheduling cycle = ProjectScheduling.of(scheduler, nodes.list().nodes(), all);
        for (Project p : pending) {
            if (!term.current()) {
                return;
            }
            ProjectScheduling.Outcome outcome = cycle.schedule(p, now);
            if (outcome.apply(p, now) == p.status()) {
                continue; // an unchanged Scheduled=False, or a skip: nothing to write
            }
            Project stored = write(term, p.name(), current -> {
                if (!current.spec().equals(p.spec())) {
                    // Its requests may have grown since the cycle counted them: decide again next pass.
                    throw new ConflictException("project \"" + p.name() + "\" changed while being scheduled");
                }
                return outcome.apply(current, now);
            });
            if (stored == null) {
                continue;
            }
            events.scheduled(p.name(), outcome);
            switch (outcome) {
                case ProjectScheduling.Bind b -> tell(ProjectEvent.Kind.SCHEDULED, p.name(), b.node(),
                        stored.status().condition(ProjectStatus.SCHEDULED).map(Condition::message).orElse(null), now);
                case ProjectScheduling.Unschedulable u -> tell(ProjectEvent.Kind.UNSCHEDULABLE, p.name(), null, u.message(), now);
                case ProjectScheduling.Skip s -> { }
            }
        }
    }

    /** A fenced status write; null when the project moved on or went (the next pass sees it), or the term ended. */
    private Project write(Term term, String name, Function<Project, ProjectStatus> mutation) {
        try {
            return projects.updateStatus(name, mutation, term.fence());
        } catch (ConflictException | NotFoundException moved) {
            recheckAt(clock.instant()); // look again next round
            return null;
        } catch (FencedException e) {
            term.refused(e);
            return null;
        }
    }

    /**
     * Removes a record if it still fits the decision. The SPI's delete takes no fence: removing what
     * is Terminated (or expired and running nowhere) is what every leader would do, and the
     * precondition keeps a project that moved on meanwhile.
     */
    private boolean remove(String name, ProjectLifecycle.Remove r, Instant now) {
        try {
            projects.delete(name, null, current -> r.appliesTo(current, now));
            return true;
        } catch (ConflictException | NotFoundException moved) {
            return false;
        }
    }

    private void recheckAt(Instant at) {
        if (recheckAt == null || at.isBefore(recheckAt)) {
            recheckAt = at;
        }
    }

    private void tell(ProjectEvent.Kind kind, String project, String node, String message, Instant now) {
        ProjectEvent e = new ProjectEvent(kind, project, node, message, now);
        listeners.tell(l -> l.project(e));
    }
}
