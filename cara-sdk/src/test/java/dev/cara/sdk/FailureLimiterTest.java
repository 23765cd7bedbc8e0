package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The brute-force limiter, on fake time. */
class FailureLimiterTest {
    private final FakeTime time = new FakeTime();
    private final FailureLimiter limiter = FailureLimiter.create(3, Duration.ofSeconds(2), 100, time);

    @Test
    void anAddressMayFailBurstTimesThenWaitsOneRefillPerAttempt() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.blockedFor("10.0.0.1"), "attempt " + (i + 1));
            limiter.failed("10.0.0.1");
        }
        assertEquals(Optional.of(Duration.ofSeconds(2)), limiter.blockedFor("10.0.0.1"));
        assertEquals(Optional.empty(), limiter.blockedFor("10.0.0.2"), "other addresses are not affected");
        time.advance(Duration.ofMillis(1500));
        assertEquals(Optional.of(Duration.ofMillis(500)), limiter.blockedFor("10.0.0.1"));
        time.advance(Duration.ofMillis(500));
        assertEquals(Optional.empty(), limiter.blockedFor("10.0.0.1"));
        limiter.failed("10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(2)), limiter.blockedFor("10.0.0.1"), "one attempt earned, one spent");
    }

    @Test
    void aFullyRefilledAddressIsForgotten() {
        limiter.failed("a");
        assertEquals(1, limiter.tracked());
        time.advance(Duration.ofSeconds(2));
        assertEquals(Optional.empty(), limiter.blockedFor("a"));
        assertEquals(0, limiter.tracked());
    }

    @Test
    void sprayedAddressesKeepMemoryBounded() {
        for (int i = 0; i < 1000; i++) {
            limiter.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertTrue(limiter.tracked() <= 100, "tracked " + limiter.tracked());
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() {
        assertEquals(1, FailureLimiter.retryAfterSeconds(Duration.ofMillis(1)));
        assertEquals(2, FailureLimiter.retryAfterSeconds(Duration.ofMillis(1001)));
        assertEquals(2, FailureLimiter.retryAfterSeconds(Duration.ofSeconds(2)));
    }
}
