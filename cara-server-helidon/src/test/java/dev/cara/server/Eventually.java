package dev.cara.server;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; tests never sleep a fixed time. */
final class Eventually {
    private Eventually() {
    }

    /** Returns the first value that {@code condition} accepts; fails with {@code what} and the last value otherwise. */
    static <T> T await(Duration within, String what, Supplier<T> probe, java.util.function.Predicate<T> condition) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                if (condition.test(last)) {
                    return last;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError fail = new AssertionError("timed out after " + within + " waiting for " + what + "; last seen: " + last);
                if (lastError != null) {
                    fail.initCause(lastError);
                }
                throw fail;
            }
            try {
                Thread.sleep(20); // a polling interval, not a wait for time to pass: the deadline decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    static void await(Duration within, String what, Supplier<Boolean> condition) {
        await(within, what, condition, Boolean::booleanValue);
    }
}
