package dev.cara.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class BackoffAndJitterTest {

    @Test
    void backoffDoublesFromOneSecondUpToTheInterval() {
        Backoff b = Backoff.upTo(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(1), b.nominal(1));
        assertEquals(Duration.ofSeconds(2), b.nominal(2));
        assertEquals(Duration.ofSeconds(16), b.nominal(5));
        assertEquals(Duration.ofSeconds(30), b.nominal(6));
        assertEquals(Duration.ofSeconds(30), b.nominal(1_000_000), "no overflow after a long outage");
    }

    @Test
    void aShortIntervalIsItsOwnInitialDelay() {
        Backoff b = Backoff.upTo(Duration.ofMillis(200));
        assertEquals(Duration.ofMillis(200), b.nominal(1));
        assertEquals(Duration.ofMillis(200), b.nominal(7));
    }

    @Test
    void backoffRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.upTo(Duration.ofSeconds(30)).nominal(0));
    }

    @Test
    void everyBackoffDelayLiesInTheUpperHalfOfItsNominalAndNeverPastTheCap() {
        qt().forAll(longs().between(1, 600_000), integers().between(1, 200), doubles().between(0, 0.9999999))
                .checkAssert((intervalMillis, failures, r) -> {
                    Duration interval = Duration.ofMillis(intervalMillis);
                    Backoff b = Backoff.upTo(interval);
                    Duration nominal = b.nominal(failures);
                    Duration delay = b.delay(failures, r);
                    assertTrue(delay.compareTo(interval) <= 0, "capped at the interval");
                    assertTrue(delay.toNanos() >= nominal.toNanos() / 2, "at least half the nominal");
                    assertTrue(delay.compareTo(nominal) <= 0);
                    assertTrue(b.nominal(failures + 1).compareTo(nominal) >= 0, "never shrinks");
                });
    }

    @Test
    void jitterStaysWithinTenPercentOfTheInterval() {
        qt().forAll(longs().between(1, 3_600_000), doubles().between(0, 0.9999999)).checkAssert((millis, r) -> {
            Duration interval = Duration.ofMillis(millis);
            long d = Jitter.around(interval, r).toNanos();
            assertTrue(d >= Math.floor(interval.toNanos() * 0.9) && d <= Math.ceil(interval.toNanos() * 1.1),
                    d + " for " + interval);
        });
    }

    @Test
    void jitterCoversTheWholeRange() {
        Duration interval = Duration.ofSeconds(30);
        assertEquals(Duration.ofSeconds(27), Jitter.around(interval, 0));
        assertEquals(Duration.ofSeconds(30), Jitter.around(interval, 0.5));
        assertEquals(Duration.ofSeconds(33), Jitter.around(interval, 1.0));
    }
}
