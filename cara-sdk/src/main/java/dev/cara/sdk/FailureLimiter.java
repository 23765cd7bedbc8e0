package dev.cara.sdk;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: counts authentication failures per key (a remote address) in a token bucket.
 * Each key may fail {@code burst} times at once, and earns one more attempt every {@code refill};
 * while its bucket is empty, {@link #blockedFor} says how long until the next attempt, which the
 * server answers with 429 and {@code Retry-After}. Successes neither count nor refill: otherwise an
 * attacker holding any valid token could interleave guesses with good requests.
 *
 * <p>Time comes from an injected {@link Ticker}. The map of buckets is written under this object's
 * monitor ({@link #failed}, and the removal of a full bucket); {@link #blockedFor}, which every
 * request asks, reads it without the lock (a concurrent map), so good requests never queue. It is bounded by {@code maxTracked}, dropping buckets that
 * have refilled completely, which carry no information, and the oldest when an attacker sprays
 * addresses, so that memory stays bounded whatever arrives.
 */
public final class FailureLimiter {
    private final int burst;
    private final long refillNanos;
    private final int maxTracked;
    private final Ticker ticker;
    // key -> the ticker time at which its bucket is full again; absent means full
    private final Map<String, Long> fullAt = new ConcurrentHashMap<>();

    private FailureLimiter(int burst, Duration refill, int maxTracked, Ticker ticker) {
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.maxTracked = maxTracked;
        this.ticker = ticker;
    }

    /**
     * @param burst      failures a key may have in a row before it must wait (at least 1)
     * @param refill     how long a key waits for each further attempt (positive)
     * @param maxTracked how many keys to remember at most (at least 1)
     */
    public static FailureLimiter create(int burst, Duration refill, int maxTracked, Ticker ticker) {
        if (burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("burst and maxTracked must be at least 1, were " + burst + " and " + maxTracked);
        }
        Objects.requireNonNull(refill, "refill");
        if (refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("refill must be positive, was " + refill);
        }
        return new FailureLimiter(burst, refill, maxTracked, Objects.requireNonNull(ticker, "ticker"));
    }

    /** The server's default: 10 failures at once, then one attempt every 2 seconds, for up to 10,000 addresses. */
    public static FailureLimiter standard(Ticker ticker) {
        return create(10, Duration.ofSeconds(2), 10_000, ticker);
    }

    /** How long {@code key} must wait before its next attempt, or empty when it may try now. */
    public Optional<Duration> blockedFor(String key) {
        Long full = fullAt.get(key);
        if (full == null) {
            return Optional.empty(); // the common case: no failures from this address, no lock taken
        }
        return blockedLocked(key);
    }

    private synchronized Optional<Duration> blockedLocked(String key) {
        Long full = fullAt.get(key); // again, under the lock that writes it
        if (full == null) {
            return Optional.empty();
        }
        long now = ticker.read();
        // The bucket holds burst - (full - now) / refill attempts: one again from here on.
        long oneAt = full - (long) (burst - 1) * refillNanos;
        if (now - oneAt >= 0) {
            if (now - full >= 0) {
                fullAt.remove(key);
            }
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(oneAt - now));
    }

    /** Counts a failure of {@code key}: one attempt out of its bucket. */
    public synchronized void failed(String key) {
        long now = ticker.read();
        Long full = fullAt.get(key);
        long base = full == null || full - now < 0 ? now : full;
        fullAt.put(key, base + refillNanos);
        if (fullAt.size() > maxTracked) {
            evict(now, key);
        }
    }

    /** How many keys are remembered (for tests and metrics). */
    public int tracked() {
        return fullAt.size();
    }

    /** Retry-After's value for a wait: whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long s = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    private void evict(long now, String keep) {
        fullAt.values().removeIf(full -> full - now <= 0);
        // Still too many: drop the buckets that refill soonest (the least suspicious), never the one just charged.
        while (fullAt.size() > maxTracked) {
            String soonest = null;
            long soonestAt = Long.MAX_VALUE;
            for (Iterator<Map.Entry<String, Long>> it = fullAt.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> e = it.next();
                if (!e.getKey().equals(keep) && (soonest == null || e.getValue() - soonestAt < 0)) {
                    soonest = e.getKey();
                    soonestAt = e.getValue();
                }
            }
            fullAt.remove(soonest);
        }
    }
}
