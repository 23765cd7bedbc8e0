package dev.cara.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, for tests that watch real processes. The
 * short pause between polls only spaces the attempts; no test waits a fixed time for something to happen.
 */
final class Eventually {
    private static final long POLL_MILLIS = 50;

    private Eventually() {
    }

    static void await(Duration within, String what, BooleanSupplier condition) {
        await(within, what, () -> condition.getAsBoolean(), ok -> ok);
    }

    /** The first value that passes the check; errors thrown while polling count as "not yet". */
    static <T> T await(Duration within, String what, Supplier<T> probe, Predicate<T> check) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                if (check.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("not within " + within + ": " + what + "; last seen: " + last);
                if (lastError != null) {
                    failure.addSuppressed(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
