package dev.cara.agent;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

class LatencyHistogramTest {

    @Test
    void anEmptyHistogramSaysZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.percentileNanos(0.99));
        assertEquals(0, h.maxNanos());
    }

    @Test
    void percentilesOfAKnownSpread() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.record(ms * 1_000_000L);
        }
        assertEquals(100, h.count());
        assertEquals(100_000_000L, h.maxNanos());
        assertWithin(50_000_000L, h.percentileNanos(0.50));
        assertWithin(99_000_000L, h.percentileNanos(0.99));
        assertEquals(100_000_000L, h.percentileNanos(1.0));
    }

    @Test
    void bucketsAreContiguousAndOrdered() {
        long previousUpper = -1;
        for (int i = 0; i < 7000; i++) {
            long upper = LatencyHistogram.upperBound(i);
            assertTrue(upper > previousUpper, "bucket " + i);
            assertEquals(i, LatencyHistogram.index(upper), "upper bound of " + i + " falls in it");
            assertEquals(i, LatencyHistogram.index(previousUpper + 1), "lower bound of " + i + " falls in it");
            previousUpper = upper;
        }
    }

    @Test
    void anyPercentileIsWithinOnePercentOfTheExactOne() {
        qt().forAll(lists().of(longs().between(0, 60_000_000_000L)).ofSizeBetween(1, 300))
                .checkAssert(values -> {
                    LatencyHistogram h = new LatencyHistogram();
                    values.forEach(h::record);
                    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
                    for (double p : List.of(0.5, 0.9, 0.99, 1.0)) {
                        long exact = sorted[(int) Math.max(0, Math.ceil(p * sorted.length) - 1)];
                        long got = h.percentileNanos(p);
                        assertTrue(got >= exact && got <= exact + Math.max(1, exact / 100),
                                "p" + p + ": " + got + " vs " + exact + " in " + Arrays.toString(sorted));
                    }
                });
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected / 100, actual + " is not within 1% of " + expected);
    }
}
