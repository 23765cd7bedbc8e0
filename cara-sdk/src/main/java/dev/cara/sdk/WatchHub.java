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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans the store's change feed out to watches. One pump reads the feed for all of them, so a
 * thousand watchers cost one feed read per interval.
 *
 * <p><b>Ownership.</b> {@code this} guards the pump: reading the feed and appending to every
 * subscriber's queue; {@link #open} takes the same lock while it lists, so a new watch's snapshot
 * revision is never older than what the pump has already delivered. Each subscriber's
 * {@code visible} set and {@code fromRevision} are touched only under that lock. Each subscriber's
 * own virtual thread owns delivery to its sink, so a slow sink delays only its own watch.
 */
final class WatchHub {
    private static final Logger LOG = Logger.getLogger(WatchHub.class.getName());
    /** Events a watch may buffer beyond its initial list before it is closed as too slow. */
    static final int QUEUE_CAPACITY = 50_000;
    private static final int PAGE = 10_000;

    private final NodeStore store;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    WatchHub(NodeStore store) {
        this.store = store;
    }

    synchronized Watch open(LabelSelector selector, Consumer<WatchEvent> sink, Consumer<String> onClose) {
        NodeStore.Snapshot snapshot = store.list();
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

    synchronized void pump() {
        if (subscribers.isEmpty()) {
            return;
        }
        long from = Long.MAX_VALUE;
        for (Subscriber s : subscribers) {
            from = Math.min(from, s.fromRevision);
        }
        while (true) {
            List<Change> changes;
            try {
                changes = store.changesSince(from, PAGE);
            } catch (HistoryGoneException e) {
                resyncAll();
                return;
            }
            for (Change c : changes) {
                for (Subscriber s : subscribers) {
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
    private void resyncAll() {
        NodeStore.Snapshot snapshot = store.list();
        Map<String, Node> now = new HashMap<>();
        for (Node n : snapshot.nodes()) {
            now.put(n.name(), n);
        }
        for (Subscriber s : subscribers) {
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
        final Set<String> visible = new HashSet<>();
        final LinkedBlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        final AtomicBoolean open = new AtomicBoolean(true);
        long fromRevision;
        Thread thread;

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
                    if (!open.get()) {
                        return;
                    }
                    sink.accept(e);
                }
                while (open.get()) {
                    WatchEvent e = queue.poll(1, TimeUnit.SECONDS);
                    if (e != null) {
                        sink.accept(e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "a watch's receiver failed; closing the watch", e);
                close("the receiver failed: " + e.getMessage());
            }
        }

        // Called under the hub's lock.
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

        // Called under the hub's lock.
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
            if (open.get() && !queue.offer(e)) {
                close("the watcher fell more than " + QUEUE_CAPACITY + " events behind; list again and re-watch");
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void close() {
            close("closed by the watcher");
        }

        void close(String reason) {
            if (open.compareAndSet(true, false)) {
                subscribers.remove(this);
                if (thread != null && thread != Thread.currentThread()) {
                    thread.interrupt();
                }
                try {
                    onClose.accept(reason);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "a watch's close callback failed", e);
                }
            }
        }
    }
}
