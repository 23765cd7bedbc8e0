package dev.cara.agent;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A concurrent histogram of durations in nanoseconds with a relative error under 1%: exact below
 * 256 ns, then 128 buckets per power of two. Memory is fixed (about 60 KB) however many values it
 * records, which matters when a simulator run records millions of heartbeats. The maximum is exact.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;           // buckets per power of two
    private static final int LINEAR = 2 * SUB;              // values below this get a bucket each
    private static final int BUCKETS = LINEAR + (63 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts.incrementAndGet(index(v));
        total.increment();
        max.accumulate(v);
    }

    public long count() {
        return total.sum();
    }

    public long maxNanos() {
        return max.get();
    }

    /**
     * The smallest recorded bound below which at least {@code fraction} of the values fall, as the
     * upper edge of its bucket (never above the maximum); 0 when empty.
     */
    public long percentileNanos(double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS;
        return LINEAR + (shift - 1) * SUB + (int) ((v >>> shift) - SUB);
    }

    /** The largest value that falls into bucket i. */
    static long upperBound(int i) {
        if (i < LINEAR) {
            return i;
        }
        int k = i - LINEAR;
        int shift = k / SUB + 1;
        long sub = k % SUB + SUB;
        long upper = ((sub + 1) << shift) - 1;
        return upper < 0 ? Long.MAX_VALUE : upper;
    }
}
