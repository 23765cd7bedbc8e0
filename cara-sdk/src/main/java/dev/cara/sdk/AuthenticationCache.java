package dev.cara.sdk;

import dev.cara.sdk.spi.Authenticator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful authentications for a short while, in front of any {@link Authenticator}
 * (the standard one reads the {@link dev.cara.sdk.spi.TokenStore} on every call, which on JDBC is a
 * database round trip per heartbeat). A hit costs one SHA-256 of the credentials and one map lookup ({@link #key}).
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
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
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
        Key key = key(credentials);
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

    private void remember(Key key, Entry entry, long now) {
        if (entries.size() >= maxEntries && now - lastSweep >= maxAgeNanos) {
            lastSweep = now;
            entries.values().removeIf(e -> now - e.askedAt() >= maxAgeNanos);
        }
        if (entries.size() < maxEntries || entries.containsKey(key)) {
            entries.put(key, entry);
        }
    }

    /**
     * The SHA-256 of the header and the certificate's name together, as four longs: the map never
     * holds a secret, and a hit costs one hash of about 70 bytes (two SHA-256 blocks, which the JDK
     * runs on the CPU's SHA instructions where it has them) and no text.
     *
     * <p>Why this is safe without a constant-time compare of the keys: the map is looked up with the
     * hash of what the caller sent, never with the secret itself. How long a look-up takes can tell an
     * attacker at most how much of his own input's hash matches a stored hash, and a matching prefix of
     * SHA-256 says nothing about the input that made the stored one (that would be a preimage of a
     * 160-bit random secret). A hit needs all 256 bits equal, that is the same header: SHA-256 has no
     * known collisions. The secret itself is compared in constant time by the delegate
     * ({@link Tokens#matches}) before anything is cached.
     */
    private static Key key(Credentials c) {
        MessageDigest digest = Tokens.sha256();
        // NUL cannot occur in a header value or a verified CN: the two parts cannot run into each other.
        String header = c.authorization().orElse(null);
        String certificate = c.certificateName().orElse(null);
        if (header == null) {
            digest.update((byte) '-');
        } else {
            digest.update((byte) 'h');
            digest.update(header.getBytes(StandardCharsets.UTF_8));
        }
        digest.update((byte) 0);
        if (certificate != null) {
            digest.update(certificate.getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer hash = ByteBuffer.wrap(digest.digest());
        return new Key(hash.getLong(0), hash.getLong(8), hash.getLong(16), hash.getLong(24));
    }

    /** A SHA-256, held as numbers: cheaper to hash and compare than its 64 hex digits, which were a string per request. */
    private record Key(long a, long b, long c, long d) {
        // Written out rather than left to the record's generated methods: this is every request's look-up.
        // Any 32 bits of a SHA-256 are as evenly spread as a hash table could want.
        @Override
        public int hashCode() {
            return (int) a;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && a == k.a && b == k.b && c == k.c && d == k.d;
        }
    }
}
