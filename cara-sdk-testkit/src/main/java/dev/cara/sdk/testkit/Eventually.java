package dev.cara.sdk.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: how tests wait for other threads and
 * processes. The short pause between polls only spaces the attempts; the deadline decides, and no
 * test waits a fixed time for something to happen. Shared by the modules' tests through the test-jar.
 */
public final class Eventually {
    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    /**
     * The first value of {@code probe} that passes {@code check}. An exception thrown while polling
     * counts as "not yet"; the last one is attached to the failure.
     *
     * @throws AssertionError naming {@code what} and the last value seen, once {@code within} has passed
     */
    public static <T> T await(Duration within, String what, Supplier<T> probe, Predicate<T> check) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                if (check.test(last)) {
                    return last;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("not within " + within + ": " + what + "; last seen: " + last);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            pause(what);
        }
    }

    /** Waits until {@code condition} holds. */
    public static void await(Duration within, String what, BooleanSupplier condition) {
        await(within, what, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** Waits until {@code condition} holds; the failure shows what {@code whatWasSeen} says then. */
    public static void until(Duration within, BooleanSupplier condition, Supplier<String> whatWasSeen) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + "; saw:\n" + whatWasSeen.get());
            }
            pause("a condition");
        }
    }

    private static void pause(String what) {
        try {
            Thread.sleep(POLL_MILLIS); // a poll interval, not a wait for time to pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
