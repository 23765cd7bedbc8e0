package dev.cara.store.mapdb;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.spi.Canonical;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what {@link RecordWriter} wrote. Every read checks the bounds and throws
 * {@link IllegalArgumentException} for bytes that are not a record, so damage is reported, never
 * misread. Not thread-safe: one record, one reader.
 */
final class RecordReader {
    private final byte[] b;
    private int pos;
    private boolean words;

    RecordReader(byte[] b) {
        this.b = b;
    }

    /**
     * A reader past the version byte of a {@code kind} record.
     *
     * @throws IllegalArgumentException if the record is of another version than {@code version}
     */
    static RecordReader of(byte[] bytes, int version, String kind) {
        RecordReader r = new RecordReader(bytes);
        int found = r.u8();
        if (found != version) {
            throw unknownVersion(kind, found);
        }
        return r;
    }

    /**
     * A reader past the version byte of a {@code kind} record of version {@code plain} (strings as
     * their text) or {@code words} (strings as {@link RecordWords} wrote them).
     *
     * @throws IllegalArgumentException if the record is of another version
     */
    static RecordReader withWordsFrom(byte[] bytes, int plain, int words, String kind) {
        RecordReader r = new RecordReader(bytes);
        int found = r.u8();
        if (found == words) {
            r.words = true;
        } else if (found != plain) {
            throw unknownVersion(kind, found);
        }
        return r;
    }

    private static IllegalArgumentException unknownVersion(String kind, int found) {
        return new IllegalArgumentException("unknown " + kind + " record version " + found);
    }

    int u8() {
        if (pos >= b.length) {
            throw new IllegalArgumentException("the record ends early");
        }
        return b[pos++] & 0xFF;
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("a malformed number");
    }

    int count() {
        long n = varint();
        if (n < 0 || n > b.length - pos) {
            throw new IllegalArgumentException("a count of " + n + " in a record of " + b.length + " bytes");
        }
        return (int) n;
    }

    String string() {
        long n = varint();
        if (n == 0) {
            return null;
        }
        long len = n - 1;
        if (words) {
            if (n > 0 && n <= RecordWords.size()) {
                return RecordWords.word((int) n);
            }
            len -= RecordWords.size();
        }
        if (len < 0 || len > b.length - pos) {
            throw new IllegalArgumentException("a string longer than the record");
        }
        String s = new String(b, pos, (int) len, StandardCharsets.UTF_8);
        pos += (int) len;
        return s;
    }

    boolean bool() {
        int x = u8();
        if (x > 1) {
            throw new IllegalArgumentException("a malformed flag " + x);
        }
        return x == 1;
    }

    Instant instant() {
        if (!bool()) {
            return null;
        }
        long z = varint();
        long seconds = (z >>> 1) ^ -(z & 1);
        return Instant.ofEpochSecond(seconds, varint());
    }

    Map<String, String> map() {
        int n = count();
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            map.put(string(), string());
        }
        return map;
    }

    ResourceList resources(Map<String, Quantity> quantities) {
        int n = count();
        if (n == 0) {
            return ResourceList.EMPTY;
        }
        Map<String, Quantity> amounts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String name = string();
            amounts.put(name, quantities.computeIfAbsent(string(), Quantity::parse));
        }
        return ResourceList.of(amounts);
    }

    /** What {@link RecordWriter#meta} wrote. */
    ObjectMeta meta() {
        return new ObjectMeta(string(), map(), map(), instant(), instant(), string());
    }

    Condition condition() {
        // Type, reason and message: what a fleet's nodes share (StateRule.stamp shares them the same way).
        return new Condition(Canonical.of(string()), ConditionStatus.valueOf(string()), Canonical.of(string()),
                Canonical.of(string()), instant(), instant());
    }

    /** @throws IllegalArgumentException if bytes are left after the record's last field */
    void end() {
        if (pos != b.length) {
            throw new IllegalArgumentException("trailing bytes after the record");
        }
    }
}
