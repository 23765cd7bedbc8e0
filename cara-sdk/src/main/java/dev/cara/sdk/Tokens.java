package dev.cara.sdk;

import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.TokenStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates tokens and checks them. A token is {@code cara_<id>_<secret>}: the id (16 hex digits) is
 * public, names the token in lists and revocations and finds its record; the secret (40 hex digits,
 * 160 bits from {@link SecureRandom}) is shown once and never stored.
 *
 * <p>Only SHA-256 of the secret is stored. A slow password hash (bcrypt, Argon2) is for secrets that
 * people choose, which are few enough to guess; a 160-bit random secret cannot be guessed from its
 * hash whatever the hash costs, and a fast hash keeps the check cheap on every request. Hashes are
 * compared with {@link MessageDigest#isEqual}, in time that does not depend on where they differ.
 *
 * <p>Thread-safe: {@link SecureRandom} and the store are.
 */
public final class Tokens {
    /** What every cara token starts with, so that secret scanners and people recognise one. */
    public static final String PREFIX = "cara_";
    static final int ID_HEX = 16;
    static final int SECRET_HEX = 40;
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_ID_DRAWS = 5;
    // Cloning a digest is cheaper than asking the providers for one on every request.
    private static final MessageDigest SHA_256 = newSha256();

    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random;

    private Tokens(TokenStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    public static Tokens over(TokenStore store, Clock clock) {
        return new Tokens(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"), new SecureRandom());
    }

    public TokenStore store() {
        return store;
    }

    /**
     * Creates and stores a token.
     *
     * @param node        the node a {@link Role#NODE} credential is bound to; empty for other roles
     * @param description what it is for (may be empty)
     * @param ttl         how long it works, or empty for no expiry
     */
    public IssuedToken issue(Role role, String node, String description, Optional<Duration> ttl) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
            throw new InvalidException("ttl", dev.cara.sdk.Durations.format(ttl.get()), "a positive duration such as 24h or 30m");
        }
        var now = clock.instant();
        for (int draw = 1; ; draw++) {
            String id = hex(ID_HEX / 2);
            String secret = hex(SECRET_HEX / 2);
            TokenRecord record = new TokenRecord(id, description, role, node, now, ttl.map(now::plus), false, hash(secret));
            try {
                return new IssuedToken(store.create(record), PREFIX + id + "_" + secret);
            } catch (AlreadyExistsException e) {
                if (draw == MAX_ID_DRAWS) { // 64-bit ids: only a broken random source gets here
                    throw e;
                }
            }
        }
    }

    /** The id and secret of a token's text, or empty when it is not shaped like a cara token. */
    public static Optional<Parsed> parse(String token) {
        if (token == null || token.length() != PREFIX.length() + ID_HEX + 1 + SECRET_HEX || !token.startsWith(PREFIX)
                || token.charAt(PREFIX.length() + ID_HEX) != '_') {
            return Optional.empty();
        }
        int idEnd = PREFIX.length() + ID_HEX;
        if (!isHex(token, PREFIX.length(), idEnd) || !isHex(token, idEnd + 1, token.length())) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(token.substring(PREFIX.length(), idEnd), token.substring(idEnd + 1)));
    }

    /** Whether {@code secret} is the one whose hash {@code record} keeps, compared in constant time. */
    public static boolean matches(TokenRecord record, String secret) {
        byte[] stored;
        try {
            stored = HEX.parseHex(record.secretHash());
        } catch (IllegalArgumentException e) {
            stored = new byte[0]; // not a hash this class wrote: it matches nothing
        }
        // Bytes rather than hex text: no digits to format on every check, the same constant-time compare.
        return MessageDigest.isEqual(stored, sha256().digest(secret.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The stored form of a secret: lowercase hex SHA-256. */
    public static String hash(String secret) {
        return sha256Hex(secret.getBytes(StandardCharsets.US_ASCII));
    }

    /** Lowercase hex SHA-256 of {@code bytes}. */
    private static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    /** A fresh SHA-256 digest (also for the {@link AuthenticationCache}'s keys). */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A token's text taken apart. {@link #toString} leaves the secret out. */
    public record Parsed(String id, String secret) {
        @Override
        public String toString() {
            return "Parsed[id=" + id + ", secret=***]";
        }
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
