package dev.cara.sdk;

import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans a store's change feed out to watches. One pump reads the feed for all of them, so a
 * thousand watchers cost one feed read per interval. One hub serves nodes ({@link #nodes}) and
 * another projects ({@link #projects}): the same guarantees for both, over a {@link Feed}.
 *
 * <p><b>Ownership.</b> No lock is shared between opening, closing and pumping, and no store read or
 * embedder callback runs under a lock that another watch needs:
 * <ul>
 *   <li>{@link #open} lists the store on the caller's thread, builds the new subscriber's
 *       {@code visible} set and {@code fromRevision} there, and then publishes it by adding it to
 *       the copy-on-write {@code subscribers}. From then on those two fields belong to the pump.</li>
 *   <li>{@code pumpLock} is held by whichever thread runs {@link #pump} (the control plane's pump
 *       thread, or a test): it reads the feed and only offers events to queues, which never blocks. A
 *       slow feed read delays the next pump and nothing else. Each round works on a snapshot of
 *       {@code subscribers}; one published meanwhile joins the next round from its own revision.</li>
 *   <li>Each subscriber's own virtual thread owns its sink and its {@code onClose}: it delivers
 *       events, and once the watch is closed it calls {@code onClose}, exactly once, after the last
 *       event. Closing itself ({@code closedBecause}, a compare-and-set) only removes the subscriber
 *       and interrupts that thread, so a slow or blocking callback delays only its own watch.</li>
 * </ul>
 */
final class WatchHub<T, E> {
    private static final Logger LOG = Logger.getLogger(WatchHub.class.getName());
    /** Events a watch may buffer beyond its initial list before it is closed as too slow. */
    static final int QUEUE_CAPACITY = 50_000;
    private static final int PAGE = 10_000;

    private final Feed<T, E> feed;
    private final int queueCapacity;
    // An append-only history (events): an object never stops matching, the feed's own ADDED/MODIFIED is
    // what a watcher gets, and no watch keeps what it has seen (that would grow with the history).
    private final boolean appendOnly;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ReentrantLock pumpLock = new ReentrantLock();

    /**
     * What a hub watches: a store's listing and change feed, and how its events are made.
     *
     * @param list  everything now, with the revision it was read at
     * @param since the changes after a revision, at most a page of them; throws
     *              {@link HistoryGoneException} as the store's {@code changesSince}
     * @param name  an object's name
     * @param event the event a watcher receives for an object
     * @param <T>   the watched object (a node, a project)
     * @param <E>   the event a watcher receives
     */
    record Feed<T, E>(Supplier<Listing<T>> list, BiFunction<Long, Integer, List<Entry<T>>> since,
                      Function<T, String> name, BiFunction<WatchEvent.Type, T, E> event) {
    }

    record Listing<T>(long revision, List<T> objects) {
    }

    record Entry<T>(long revision, Change.Type type, T object) {
    }

    private WatchHub(Feed<T, E> feed, int queueCapacity) {
        this(feed, queueCapacity, false);
    }

    private WatchHub(Feed<T, E> feed, int queueCapacity, boolean appendOnly) {
        this.feed = feed;
        this.queueCapacity = queueCapacity;
        this.appendOnly = appendOnly;
    }

    /**
     * A hub over an event history. A watch that the feed can no longer serve (retention outran it) is
     * closed with a reason saying to list again, since an append-only watch keeps no view to diff.
     */
    static WatchHub<Event, EventWatchEvent> events(EventStore store) {
        return new WatchHub<>(new Feed<>(() -> {
            EventStore.Snapshot s = store.list(EventFilter.all());
            return new Listing<>(s.revision(), s.events());
        }, (after, limit) -> store.changesSince(after, limit).stream()
                .map(c -> new Entry<>(c.revision(), c.type(), c.event())).toList(),
                Event::name, EventWatchEvent::new), QUEUE_CAPACITY, true);
    }

    static WatchHub<Node, WatchEvent> nodes(NodeStore store) {
        return nodes(store, QUEUE_CAPACITY);
    }

    /** A hub whose watches may each fall {@code queueCapacity} events behind; tests use a small one. */
    static WatchHub<Node, WatchEvent> nodes(NodeStore store, int queueCapacity) {
        return new WatchHub<>(new Feed<>(() -> {
            NodeStore.Snapshot s = store.list();
            return new Listing<>(s.revision(), s.nodes());
        }, (after, limit) -> store.changesSince(after, limit).stream()
                .map(c -> new Entry<>(c.revision(), c.type(), c.node())).toList(),
                Node::name, WatchEvent::new), queueCapacity);
    }

    static WatchHub<Project, ProjectWatchEvent> projects(ProjectStore store) {
        return new WatchHub<>(new Feed<>(() -> {
            ProjectStore.Snapshot s = store.list();
            return new Listing<>(s.revision(), s.projects());
        }, (after, limit) -> store.changesSince(after, limit).stream()
                .map(c -> new Entry<>(c.revision(), c.type(), c.project())).toList(),
                Project::name, ProjectWatchEvent::new), QUEUE_CAPACITY);
    }

    Watch open(Predicate<? super T> selector, Consumer<? super E> sink, Consumer<String> onClose) {
        Listing<T> snapshot = feed.list().get(); // no lock held: a slow store delays only this caller
        List<E> initial = new ArrayList<>();
        Subscriber sub = new Subscriber(selector, sink, onClose, snapshot.revision());
        for (T n : snapshot.objects()) {
            if (selector.test(n)) {
                initial.add(feed.event().apply(WatchEvent.Type.ADDED, n));
                if (!appendOnly) {
                    sub.visible.put(feed.name().apply(n), n);
                }
            }
        }
        subscribers.add(sub);
        sub.start(initial);
        return sub;
    }

    void pump() {
        pumpLock.lock();
        try {
            pumpRound(List.copyOf(subscribers));
        } finally {
            pumpLock.unlock();
        }
    }

    // Called with pumpLock held.
    private void pumpRound(List<Subscriber> round) {
        if (round.isEmpty()) {
            return;
        }
        long from = Long.MAX_VALUE;
        for (Subscriber s : round) {
            from = Math.min(from, s.fromRevision);
        }
        while (true) {
            List<Entry<T>> changes;
            try {
                changes = feed.since().apply(from, PAGE);
            } catch (HistoryGoneException e) {
                resync(round);
                return;
            }
            for (Entry<T> c : changes) {
                for (Subscriber s : round) {
                    if (c.revision() > s.fromRevision) {
                        s.accept(c);
                        s.fromRevision = c.revision();
                    }
                }
                from = c.revision();
            }
            if (changes.size() < PAGE) {
                return;
            }
        }
    }

    /** The feed lost history a watch needed: bring every watch up to date by diffing a fresh list. */
    private void resync(List<Subscriber> round) {
        Listing<T> snapshot = feed.list().get();
        Map<String, T> now = new HashMap<>();
        for (T n : snapshot.objects()) {
            now.put(feed.name().apply(n), n);
        }
        for (Subscriber s : round) {
            s.resync(now, snapshot.revision());
        }
    }

    void closeAll() {
        for (Subscriber s : subscribers) {
            s.close("the control plane is shutting down");
        }
    }

    private final class Subscriber implements Watch {
        final Predicate<? super T> selector;
        final Consumer<? super E> sink;
        final Consumer<String> onClose;
        // What the watcher sees, as last sent, by name: the opener's until published, then the pump's.
        final Map<String, T> visible = new HashMap<>();
        final LinkedBlockingQueue<E> queue = new LinkedBlockingQueue<>(queueCapacity);
        final AtomicReference<String> closedBecause = new AtomicReference<>(); // null while open
        long fromRevision; // the opener's until published, then the pump's
        volatile Thread thread;

        Subscriber(Predicate<? super T> selector, Consumer<? super E> sink, Consumer<String> onClose, long fromRevision) {
            this.selector = selector;
            this.sink = sink;
            this.onClose = onClose;
            this.fromRevision = fromRevision;
        }

        void start(List<E> initial) {
            thread = Thread.ofVirtual().name("cara-watch").start(() -> deliver(initial));
        }

        private void deliver(List<E> initial) {
            try {
                for (E e : initial) {
                    if (!isOpen()) {
                        return;
                    }
                    sink.accept(e);
                }
                while (isOpen()) {
                    // The timeout only backs up the interrupt that close() sends.
                    E e = queue.poll(1, TimeUnit.SECONDS);
                    if (e != null && isOpen()) {
                        sink.accept(e);
                    }
                }
            } catch (InterruptedException e) {
                // closed while waiting for events
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "a watch's receiver failed; closing the watch", e);
                close("the receiver failed: " + e.getMessage());
            } finally {
                close("the watch ended");
                Thread.interrupted(); // the close's interrupt is not meant for the callback
                try {
                    onClose.accept(closedBecause.get());
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "a watch's close callback failed", e);
                }
            }
        }

        // Called by the pump, with pumpLock held.
        void accept(Entry<T> c) {
            T n = c.object();
            if (appendOnly) {
                if (selector.test(n)) {
                    offer(feed.event().apply(c.type() == Change.Type.ADDED ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, n));
                }
                return;
            }
            String name = feed.name().apply(n);
            boolean matches = c.type() != Change.Type.DELETED && selector.test(n);
            boolean wasVisible = visible.containsKey(name);
            WatchEvent.Type type;
            if (c.type() == Change.Type.DELETED || !matches) {
                if (!wasVisible) {
                    return;
                }
                visible.remove(name);
                type = WatchEvent.Type.DELETED;
            } else {
                type = !wasVisible ? WatchEvent.Type.ADDED
                        : c.type() == Change.Type.ADDED ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED;
                visible.put(name, n);
            }
            offer(feed.event().apply(type, n));
        }

        // Called by the pump, with pumpLock held.
        void resync(Map<String, T> now, long revision) {
            if (appendOnly) {
                close("the history dropped events this watch had not yet seen; list again and re-watch");
                return;
            }
            for (Map.Entry<String, T> seen : new ArrayList<>(visible.entrySet())) {
                T n = now.get(seen.getKey());
                if (n == null || !selector.test(n)) {
                    visible.remove(seen.getKey());
                    offer(feed.event().apply(WatchEvent.Type.DELETED, n == null ? seen.getValue() : n));
                }
            }
            for (T n : now.values()) {
                if (selector.test(n)) {
                    offer(feed.event().apply(visible.put(feed.name().apply(n), n) == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, n));
                }
            }
            fromRevision = revision;
        }

        private void offer(E e) {
            if (isOpen() && !queue.offer(e)) {
                close("the watcher fell more than " + queueCapacity + " events behind; list again and re-watch");
            }
        }

        @Override
        public boolean isOpen() {
            return closedBecause.get() == null;
        }

        @Override
        public void close() {
            close("closed by the watcher");
        }

        /** Never blocks and calls nothing foreign: the watch's own thread calls {@code onClose}. */
        void close(String reason) {
            if (closedBecause.compareAndSet(null, reason)) {
                subscribers.remove(this);
                Thread t = thread;
                if (t != null && t != Thread.currentThread()) {
                    t.interrupt();
                }
            }
        }
    }
}
