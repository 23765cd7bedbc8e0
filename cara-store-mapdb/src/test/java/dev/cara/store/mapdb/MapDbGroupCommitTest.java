package dev.cara.store.mapdb;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit under real concurrency: many threads write at once, so batches of several writes share
 * one commit. Every acknowledged write must be in the file after close and reopen, and each write in a
 * batch must get its own revision and its own outcome.
 */
class MapDbGroupCommitTest {
    private static final int THREADS = 32;
    private static final int PER_THREAD = 40;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedConcurrentRegistrationIsInTheReopenedFile() throws Exception {
        Path file = dir.resolve("cara.db");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        try (MapDbStore store = open(file)) {
            store.create(Node.builder("hot").hostname("hot.lan").build());
            runTogether(t -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    String name = "worker-" + t + "-" + i;
                    Node stored = store.create(Node.builder(name).hostname(name + ".lan").label("zone", "z" + t).build());
                    acknowledged.put(name, stored.metadata().resourceVersion());
                    // Heartbeats in between, so status writes are folded into the spec commits.
                    store.updateStatus("hot", n -> beat(n.status()), Fence.NONE);
                }
                return null;
            });
            assertEquals(THREADS * PER_THREAD, acknowledged.size());
            Set<String> versions = new HashSet<>(acknowledged.values());
            assertEquals(acknowledged.size(), versions.size(), "every registration has its own resourceVersion");
            // How many batches form here depends on the machine's timing; the test below forms one on purpose.
            assertTrue(store.specCommits() <= acknowledged.size() + 1, store.specCommits() + " commits");
        }
        try (MapDbStore reopened = open(file)) {
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                Node found = reopened.get(e.getKey()).orElseThrow(() -> new AssertionError(e.getKey() + " is lost"));
                assertEquals(e.getValue(), found.metadata().resourceVersion(), e.getKey());
            }
            assertEquals(acknowledged.size() + 1, reopened.list().nodes().size());
        }
    }

    @Test
    void writesQueuedBehindACommitInProgressShareTheNextCommit() throws Exception {
        Path file = dir.resolve("cara.db");
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (MapDbStore store = open(file)) {
            store.create(Node.builder("first").hostname("first.lan").build());
            long commitsBefore = store.specCommits();
            List<Future<Node>> created = new ArrayList<>();
            try (AutoCloseable commitInProgress = store.holdCommits()) {
                for (int i = 0; i < writers; i++) {
                    String name = "queued-" + i;
                    created.add(pool.submit(() -> store.create(Node.builder(name).hostname(name + ".lan").build())));
                }
                Eventually.await(Duration.ofSeconds(30), "all " + writers + " writes queued behind the held commit",
                        store::queuedSpecWrites, queued -> queued == writers);
                assertEquals(commitsBefore, store.specCommits(), "nothing commits while the disk is held");
            }
            Set<String> versions = new HashSet<>();
            for (Future<Node> f : created) {
                versions.add(f.get(30, TimeUnit.SECONDS).metadata().resourceVersion());
            }
            assertEquals(writers, versions.size(), "every write of the batch has its own resourceVersion");
            assertEquals(commitsBefore + 1, store.specCommits(), "the queued writes shared one commit");
        } finally {
            pool.shutdownNow();
        }
        try (MapDbStore reopened = open(file)) {
            assertEquals(writers + 1, reopened.list().nodes().size(), "every write of the batch is in the file");
        }
    }

    @Test
    void concurrentWritesInOneBatchEachGetTheirOwnOutcome() throws Exception {
        try (MapDbStore store = open(dir.resolve("cara.db"))) {
            Node base = store.create(Node.builder("contended").hostname("c.lan").build());
            String version = base.metadata().resourceVersion();
            AtomicInteger created = new AtomicInteger();
            AtomicInteger alreadyExists = new AtomicInteger();
            AtomicInteger updated = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            runTogether(t -> {
                try {
                    store.create(Node.builder("same").hostname("same.lan").build());
                    created.incrementAndGet();
                } catch (AlreadyExistsException expected) {
                    alreadyExists.incrementAndGet();
                }
                try {
                    // Every thread expects the same version: exactly one compare-and-set may win.
                    store.update("contended", version, n -> n.withMetadata(n.metadata().withLabels(Map.of("by", "t" + t))));
                    updated.incrementAndGet();
                } catch (ConflictException expected) {
                    conflicts.incrementAndGet();
                }
                return null;
            });
            assertEquals(1, created.get());
            assertEquals(THREADS - 1, alreadyExists.get());
            assertEquals(1, updated.get());
            assertEquals(THREADS - 1, conflicts.get());
            // Exactly the two successful writes took revisions.
            assertEquals(Long.parseLong(version) + 2, store.revision());
            assertEquals(2, store.changesSince(Long.parseLong(version), 100).size());
        }
    }

    private interface Work {
        Void run(int thread) throws Exception;
    }

    private static void runTogether(Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Void> task = () -> {
                    start.await();
                    return work.run(thread);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(); // rethrows a worker's failure
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }

    private static MapDbStore open(Path file) {
        return MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false).open();
    }

    private static NodeStatus beat(NodeStatus s) {
        return s.withLastHeartbeat(Instant.now());
    }
}
