package dev.cara.sdk;

import dev.cara.sdk.spi.Authenticator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful authentications for a short while, in front of any {@link Authenticator}
 * (the standard one reads the {@link dev.cara.sdk.spi.TokenStore} on every call, which on JDBC is a
 * database round trip per heartbeat). A hit costs one SHA-256 of the credentials and one map lookup.
 *
 * <p>The bound that matters: an entry is used for at most {@link #MAX_AGE} (one second) after the
 * delegate answered, counted from just before the delegate was asked, so a token revoked on any
 * replica of the same store is refused by every replica within one second; {@link #forgetAll}
 * makes it immediate on the replica that revoked it. A token that expires is likewise refused at
 * most one second late.
 *
 * <p>Only successes are kept: a refusal is always asked of the delegate again (refusals count
 * against the {@link FailureLimiter}, and an attacker cannot fill the map with them). The keys are
 * hashes of the credentials, so the map holds no secret. At most {@code maxEntries} are kept; when
 * full, the expired ones are swept (at most once per {@code maxAge}) and, if it is still full, the
 * new success is simply not cached.
 *
 * <p>State: the map of entries (concurrent; any request thread adds and removes) and the time of
 * the last sweep. Time comes from an injected {@link Ticker}. Thread-safe.
 */
public final class AuthenticationCache implements Authenticator {
    /** How long a success is reused at most: the revocation bound. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** How many credentials are remembered at most by {@link #over(Authenticator, Ticker)}. */
    public static final int DEFAULT_MAX_ENTRIES = 65_536;

    private final Authenticator delegate;
    private final Ticker ticker;
    private final long maxAgeNanos;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    private record Entry(Authenticated result, long askedAt) {
    }

    private AuthenticationCache(Authenticator delegate, Ticker ticker, Duration maxAge, int maxEntries) {
        this.delegate = delegate;
        this.ticker = ticker;
        this.maxAgeNanos = maxAge.toNanos();
        this.maxEntries = maxEntries;
        this.lastSweep = ticker.read();
    }

    /** A cache of at most {@link #DEFAULT_MAX_ENTRIES}, each used for at most {@link #MAX_AGE}. */
    public static AuthenticationCache over(Authenticator delegate, Ticker ticker) {
        return over(delegate, ticker, MAX_AGE, DEFAULT_MAX_ENTRIES);
    }

    /**
     * @param maxAge     how long a success is reused at most (positive, at most {@link #MAX_AGE})
     * @param maxEntries how many credentials to remember at most (at least 1)
     */
    public static AuthenticationCache over(Authenticator delegate, Ticker ticker, Duration maxAge, int maxEntries) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(MAX_AGE) > 0) {
            throw new IllegalArgumentException("maxAge must be positive and at most " + MAX_AGE + " (the revocation bound), was "
                    + maxAge);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        return new AuthenticationCache(delegate, ticker, maxAge, maxEntries);
    }

    @Override
    public Result authenticate(Credentials credentials) {
        if (credentials.authorization().isEmpty() && credentials.certificateName().isEmpty()) {
            return delegate.authenticate(credentials); // nothing presented: a refusal, never cached
        }
        String key = key(credentials);
        long now = ticker.read();
        Entry hit = entries.get(key);
        if (hit != null && now - hit.askedAt() < maxAgeNanos) {
            return hit.result();
        }
        // The age counts from before the delegate is asked: a slow store does not stretch the bound.
        Result result = delegate.authenticate(credentials);
        if (result instanceof Authenticated a) {
            remember(key, new Entry(a, now), now);
        } else if (hit != null) {
            entries.remove(key, hit);
        }
        return result;
    }

    /** Forgets every success, so that the next request of each is asked of the delegate (after a revocation here). */
    public void forgetAll() {
        entries.clear();
    }

    /** How many successes are remembered now, expired ones included (for tests). */
    int size() {
        return entries.size();
    }

    private void remember(String key, Entry entry, long now) {
        if (entries.size() >= maxEntries && now - lastSweep >= maxAgeNanos) {
            lastSweep = now;
            entries.values().removeIf(e -> now - e.askedAt() >= maxAgeNanos);
        }
        if (entries.size() < maxEntries || entries.containsKey(key)) {
            entries.put(key, entry);
        }
    }

    /** The header and the certificate's name, hashed together: the map never holds a secret. */
    private static String key(Credentials c) {
        // NUL cannot occur in a header value or a verified CN: the two parts cannot run into each other.
        String text = c.authorization().map(h -> "h" + h).orElse("-") + '\0' + c.certificateName().orElse("");
        return Tokens.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
