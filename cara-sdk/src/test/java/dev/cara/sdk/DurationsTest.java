package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"30s, 30000", "1m, 60000", "2m30s, 150000", "1h, 3600000", "500ms, 500", "1h30m, 5400000",
            "1h2m3s4ms, 3723004", "90s, 90000", "0s, 0", "1m0s, 60000", "' 30s ', 30000", "100h, 360000000"})
    void parses(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse("HEARTBEAT_TIMEOUT", text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"30", "1m1h", "30s1m", "1s1s", "-1s", "", "  ", "abc", "1.5s", "1d", "30S", "1 m", "s", "1ms1s",
            "+1s", "1h 30m", "9999999999s"})
    void rejects(String text) {
        InvalidException e = assertThrows(InvalidException.class, () -> Durations.parse("HEARTBEAT_TIMEOUT", text));
        assertEquals("HEARTBEAT_TIMEOUT", e.field());
        assertTrue(e.getMessage().contains("a duration such as 500ms, 30s, 1m, 2m30s or 1h"), e.getMessage());
    }

    @Test
    void theMessageNamesTheSettingAndTheValue() {
        assertEquals("HEARTBEAT_INTERVAL: \"30\" is invalid: must be a duration such as 500ms, 30s, 1m, 2m30s or 1h",
                assertThrows(InvalidException.class, () -> Durations.parse("HEARTBEAT_INTERVAL", "30")).getMessage());
        assertEquals("HEARTBEAT_INTERVAL is required: must be a duration such as 500ms, 30s, 1m, 2m30s or 1h",
                assertThrows(InvalidException.class, () -> Durations.parse("HEARTBEAT_INTERVAL", null)).getMessage());
    }

    @Test
    void parsePositiveRejectsZero() {
        assertEquals(Duration.ofSeconds(90), Durations.parsePositive("HEARTBEAT_TIMEOUT", "90s"));
        InvalidException e = assertThrows(InvalidException.class, () -> Durations.parsePositive("HEARTBEAT_TIMEOUT", "0s"));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"0, 0s", "500, 500ms", "30000, 30s", "90000, 1m30s", "150000, 2m30s", "3600000, 1h", "3723004, 1h2m3s4ms",
            "86400000, 24h"})
    void formatsTheShortestSpelling(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    }

    @Test
    void formatWritesMilliseconds() {
        assertEquals("0s", Durations.format(Duration.ofNanos(1)), "below a millisecond there is nothing to write");
        assertEquals("1ms", Durations.format(Duration.ofNanos(1_999_999)));
        assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofSeconds(-1)));
    }

    @Test
    void formatThenParseRoundTrips() {
        qt().withExamples(1_000).forAll(longs().between(0, 1_000_000_000L * 1000)).check(millis -> {
            Duration d = Duration.ofMillis(millis);
            return Durations.parse("d", Durations.format(d)).equals(d);
        });
    }
}
