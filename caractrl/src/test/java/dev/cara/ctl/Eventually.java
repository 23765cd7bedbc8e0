package dev.cara.ctl;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: how tests wait for other threads or processes. */
final class Eventually {
    private Eventually() {
    }

    static void until(Duration deadline, BooleanSupplier condition, Supplier<String> whatWasSeen) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + "; saw:\n" + whatWasSeen.get());
            }
            try {
                Thread.sleep(5); // a poll interval, not a wait for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
