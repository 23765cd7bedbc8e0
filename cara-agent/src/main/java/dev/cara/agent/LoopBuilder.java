package dev.cara.agent;

import dev.cara.sdk.Ticker;

import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * What every loop of the agent is built with, in one place for the heartbeat loop and the project
 * loop: where its steps run (a {@link TaskScheduler}: tests pass fake time), its clock, its interval
 * and its log. Each loop's builder adds its own parts.
 *
 * @param <B> the builder itself, so that the setters chain
 */
abstract class LoopBuilder<B extends LoopBuilder<B>> {
    private final String intervalName;
    TaskScheduler scheduler;
    Ticker ticker = Ticker.system();
    Duration interval;
    Logger logger;

    LoopBuilder(String intervalName, Duration interval, Logger logger) {
        this.intervalName = intervalName;
        this.interval = interval;
        this.logger = logger;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B scheduler(TaskScheduler value) {
        this.scheduler = Objects.requireNonNull(value, "scheduler");
        return self();
    }

    public B ticker(Ticker value) {
        this.ticker = Objects.requireNonNull(value, "ticker");
        return self();
    }

    /** The loop's period; positive. */
    public B interval(Duration value) {
        Objects.requireNonNull(value, "interval");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + intervalName + " must be positive, got " + value);
        }
        this.interval = value;
        return self();
    }

    public B logger(Logger value) {
        this.logger = Objects.requireNonNull(value, "logger");
        return self();
    }

    /** Checks the parts every loop needs. */
    void requireLoopParts() {
        Objects.requireNonNull(interval, "interval is required");
        Objects.requireNonNull(scheduler, "scheduler is required");
    }
}
