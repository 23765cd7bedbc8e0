package dev.cara.sdk;

import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans the store's change feed out to watches. One pump reads the feed for all of them, so a
 * thousand watchers cost one feed read per interval.
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
final class WatchHub {
    private static final Logger LOG = Logger.getLogger(WatchHub.class.getName());
    /** Events a watch may buffer beyond its initial list before it is closed as too slow. */
    static final int QUEUE_CAPACITY = 50_000;
    private static final int PAGE = 10_000;

    private final NodeStore store;
    private final int queueCapacity;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ReentrantLock pumpLock = new ReentrantLock();

    WatchHub(NodeStore store) {
        this(store, QUEUE_CAPACITY);
    }

    /** A hub whose watches may each fall {@code queueCapacity} events behind; tests use a small one. */
    WatchHub(NodeStore store, int queueCapacity) {
        this.store = store;
        this.queueCapacity = queueCapacity;
    }

    Watch open(LabelSelector selector, Consumer<WatchEvent> sink, Consumer<String> onClose) {
        NodeStore.Snapshot snapshot = store.list(); // no lock held: a slow store delays only this caller
        List<WatchEvent> initial = new ArrayList<>();
        Subscriber sub = new Subscriber(selector, sink, onClose, snapshot.revision());
        for (Node n : snapshot.nodes()) {
            if (selector.matches(n)) {
                initial.add(new WatchEvent(WatchEvent.Type.ADDED, n));
                sub.visible.add(n.name());
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
            List<Change> changes;
            try {
                changes = store.changesSince(from, PAGE);
            } catch (HistoryGoneException e) {
                resync(round);
                return;
            }
            for (Change c : changes) {
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
        NodeStore.Snapshot snapshot = store.list();
        Map<String, Node> now = new HashMap<>();
        for (Node n : snapshot.nodes()) {
            now.put(n.name(), n);
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
        final LabelSelector selector;
        final Consumer<WatchEvent> sink;
        final Consumer<String> onClose;
        final Set<String> visible = new HashSet<>(); // the opener's until published, then the pump's
        final LinkedBlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>(queueCapacity);
        final AtomicReference<String> closedBecause = new AtomicReference<>(); // null while open
        long fromRevision; // the opener's until published, then the pump's
        volatile Thread thread;

        Subscriber(LabelSelector selector, Consumer<WatchEvent> sink, Consumer<String> onClose, long fromRevision) {
            this.selector = selector;
            this.sink = sink;
            this.onClose = onClose;
            this.fromRevision = fromRevision;
        }

        void start(List<WatchEvent> initial) {
            thread = Thread.ofVirtual().name("cara-watch").start(() -> deliver(initial));
        }

        private void deliver(List<WatchEvent> initial) {
            try {
                for (WatchEvent e : initial) {
                    if (!isOpen()) {
                        return;
                    }
                    sink.accept(e);
                }
                while (isOpen()) {
                    // The timeout only backs up the interrupt that close() sends.
                    WatchEvent e = queue.poll(1, TimeUnit.SECONDS);
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
        void accept(Change c) {
            Node n = c.node();
            boolean matches = c.type() != Change.Type.DELETED && selector.matches(n);
            boolean wasVisible = visible.contains(n.name());
            WatchEvent.Type type;
            if (c.type() == Change.Type.DELETED || !matches) {
                if (!wasVisible) {
                    return;
                }
                visible.remove(n.name());
                type = WatchEvent.Type.DELETED;
            } else if (wasVisible) {
                type = c.type() == Change.Type.ADDED ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED;
            } else {
                visible.add(n.name());
                type = WatchEvent.Type.ADDED;
            }
            offer(new WatchEvent(type, n));
        }

        // Called by the pump, with pumpLock held.
        void resync(Map<String, Node> now, long revision) {
            for (String name : new ArrayList<>(visible)) {
                Node n = now.get(name);
                if (n == null || !selector.matches(n)) {
                    visible.remove(name);
                    offer(new WatchEvent(WatchEvent.Type.DELETED, n == null ? Node.builder(name).build() : n));
                }
            }
            for (Node n : now.values()) {
                if (selector.matches(n)) {
                    offer(new WatchEvent(visible.add(n.name()) ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, n));
                }
            }
            fromRevision = revision;
        }

        private void offer(WatchEvent e) {
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
