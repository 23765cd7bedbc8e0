package dev.cara.ctl;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AgesTest {
    @Test
    void eachUnitIsUsedUpToItsBoundaryAndRoundsDown() {
        assertEquals("0s", Ages.of(Duration.ZERO));
        assertEquals("45s", Ages.of(Duration.ofSeconds(45)));
        assertEquals("59s", Ages.of(Duration.ofMillis(59_999)));
        assertEquals("1m", Ages.of(Duration.ofSeconds(60)));
        assertEquals("12m", Ages.of(Duration.ofMinutes(12).plusSeconds(59)));
        assertEquals("59m", Ages.of(Duration.ofMinutes(59).plusSeconds(59)));
        assertEquals("1h", Ages.of(Duration.ofHours(1)));
        assertEquals("3h", Ages.of(Duration.ofHours(3).plusMinutes(59)));
        assertEquals("23h", Ages.of(Duration.ofHours(23).plusMinutes(59)));
        assertEquals("1d", Ages.of(Duration.ofHours(24)));
        assertEquals("5d", Ages.of(Duration.ofDays(5).plusHours(23)));
        assertEquals("364d", Ages.of(Duration.ofDays(364)));
        assertEquals("1y", Ages.of(Duration.ofDays(365)));
        assertEquals("2y", Ages.of(Duration.ofDays(800)));
    }

    @Test
    void aClockSlightlyBehindTheServersShowsZeroNotANegativeAge() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals("0s", Ages.since(now.plusMillis(900), now));
        assertEquals("<invalid>", Ages.since(now.plusSeconds(5), now));
        assertEquals("<unknown>", Ages.since(null, now));
    }
}
