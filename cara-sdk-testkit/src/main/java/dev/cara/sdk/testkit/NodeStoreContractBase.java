package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static dev.cara.sdk.testkit.StoreFixtures.node;
import static dev.cara.sdk.testkit.StoreFixtures.status;
import static dev.cara.sdk.testkit.StoreFixtures.statusCount;
import static dev.cara.sdk.testkit.StoreFixtures.version;
import static dev.cara.sdk.testkit.StoreFixtures.withoutVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the storage contract's suites share: the hooks a backend implements (see
 * {@link NodeStoreContract}, the class to extend), the stores a test opens and closes, and the helpers
 * that race writers against each other. Split from the suites so that each file reads in one sitting.
 */
public abstract class NodeStoreContractBase {
    /** How long a concurrent test may take before the kit calls the store stuck. */
    static final long RACE_TIMEOUT_SECONDS = 60;

    // Owned by the JUnit thread running the test: every store and election this test opened, closed afterwards.
    final List<NodeStore> opened = new ArrayList<>();
    final List<LeaderElection> started = new ArrayList<>();
    NodeStore store; // the running test's store, set by openStore() on the JUnit thread

    /** A fresh, empty store. Called once per test (more often by the model test and reopen tests). */
    protected abstract NodeStore newStore();

    /**
     * Opens again the data of a store that the kit has just closed, or returns {@code null} (the
     * default) when the backend keeps nothing across a close. The kit closes the result too.
     */
    protected NodeStore reopen(NodeStore closed) {
        return null;
    }

    /**
     * Ends the leadership term that {@code store}'s election holds under {@code fence}, behind its back,
     * as a rival replica taking over the lease would (open a second replica on the same data and let
     * it win, or advance the term in the backend), so that afterwards every write fenced with
     * {@code fence} must be refused. Return {@code true} when done.
     *
     * <p>Only called for a store whose election is not solo, after the kit has started that election
     * and seen it lead. The default returns {@code false}, and the fencing test then fails, naming
     * this method: a store with real terms must prove that it checks them.
     */
    protected boolean depose(NodeStore store, Fence fence) {
        return false;
    }

    /** Threads used in the race tests. */
    protected int concurrency() {
        return 8;
    }

    /**
     * Random operation sequences the model test runs; each gets a fresh store. Lower it for a slow
     * backend; the kit never runs fewer than {@value StoreModelCheck#MIN_SEQUENCES}.
     */
    protected int modelSequences() {
        return StoreModelCheck.DEFAULT_SEQUENCES;
    }

    /** The store of the running test. */
    protected final NodeStore store() {
        return store;
    }

    /** A fresh store that the kit closes after the test. */
    protected final NodeStore openFreshStore() {
        NodeStore fresh = newStore();
        if (fresh == null) {
            throw new AssertionError(getClass().getName() + ".newStore() returned null; it must return a fresh, empty store");
        }
        opened.add(fresh);
        return fresh;
    }

    @BeforeEach
    final void openStore() {
        store = openFreshStore();
        assertEquals(List.of(), store.list().nodes(), "newStore() must return an empty store");
    }

    @AfterEach
    final void closeStores() {
        AssertionError failure = null;
        started.forEach(LeaderElection::close);
        started.clear();
        for (NodeStore s : opened) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new AssertionError("closing " + s.describe() + " failed", e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }


    // ---------------------------------------------------------------- helpers

    /** What one racing thread got: a value or an exception. */
    record Outcome<T>(T value, Throwable error) {
        @Override
        public String toString() {
            return error == null ? "ok" : error.getClass().getSimpleName();
        }
    }

    /** Runs {@code threads} tasks at once (released together by a barrier) and collects what each got. */
    static <T> List<Outcome<T>> race(int threads, IntFunction<Callable<T>> task) {
        CyclicBarrier gate = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    gate.await();
                    return body.call();
                }));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    outcomes.add(new Outcome<>(f.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                }
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("racing writers did not finish within " + RACE_TIMEOUT_SECONDS + " s: is the store stuck?", e);
        } finally {
            pool.shutdownNow();
        }
    }

    static <T> List<T> successes(List<Outcome<T>> outcomes) {
        return outcomes.stream().filter(o -> o.error() == null).map(Outcome::value).toList();
    }

    static void assertOnlyFailures(List<? extends Outcome<?>> outcomes, Class<? extends Throwable> type, String who) {
        for (Outcome<?> o : outcomes) {
            if (o.error() != null && !type.isInstance(o.error())) {
                fail(who + " must throw " + type.getSimpleName() + ", got " + o.error(), o.error());
            }
        }
    }

    static boolean causedBy(Throwable thrown, Throwable cause) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == cause) {
                return true;
            }
        }
        return false;
    }

    static boolean allDone(List<Future<?>> futures) {
        return futures.stream().allMatch(Future::isDone);
    }

    static void get(Future<?> f) {
        try {
            f.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("a writer failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("writers did not finish within " + RACE_TIMEOUT_SECONDS + " s: is the store stuck?", e);
        }
    }

    static void await(CyclicBarrier gate) {
        try {
            gate.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the writers did not start", e);
        }
    }
}
