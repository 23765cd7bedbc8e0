package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

class Rfc3339Test {
    /**
     * The rule as the formatter the scan replaced wrote it: RFC 3339's date-time, seconds required,
     * fraction optional, 'Z' or a +HH:MM offset, T and Z in either case, every field checked strictly.
     */
    private static final DateTimeFormatter REFERENCE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.YEAR, 4).appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2).appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private static Instant reference(String text) {
        try {
            return OffsetDateTime.parse(text, REFERENCE).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void agreesWithTheFormatterOnGeneratedTimestamps() {
        // Each field drawn from a little beyond its range, in 1 to 3 digits where 2 belong, with or
        // without a fraction of 0 to 10 digits, and one of several offsets, valid and not.
        String[] offsets = {"Z", "z", "+00:00", "-00:00", "+02:00", "-05:30", "+18:00", "-18:00", "+18:01", "+19:00",
                "+05:60", "+0200", "+02", "02:00", "+02:00:30", "", "Z ", "+2:00", "UTC"};
        qt().withExamples(30_000)
                .forAll(lists().of(integers().between(0, 1_000)).ofSize(10))
                .check(r -> {
                    String text = pad(r.get(0) * 10 + r.get(9) % 10, r.get(9) % 7 == 0 ? 3 : 4) // years 0-10009
                            + "-" + pad(r.get(1) % 15, r.get(8) % 23 == 0 ? 1 : 2)
                            + "-" + pad(r.get(2) % 33, 2)
                            + (r.get(8) % 2 == 0 ? "T" : "t")
                            + pad(r.get(3) % 26, 2) + ":" + pad(r.get(4) % 62, r.get(8) % 29 == 0 ? 3 : 2)
                            + ":" + pad(r.get(5) % 62, 2)
                            + fraction(r.get(6))
                            + offsets[r.get(7) % offsets.length];
                    return sameAnswer(text);
                });
    }

    @Test
    void agreesWithTheFormatterOnNearMisses() {
        // A valid timestamp with up to three characters replaced, inserted or deleted, from an alphabet of
        // the characters that matter, so that separators, digits and lengths all go wrong somewhere.
        String base = "2024-02-29T23:59:59.123456789+18:00";
        String alphabet = "0123456789-:.TtZz+ x";
        qt().withExamples(30_000)
                .forAll(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 9))
                .check(edits -> {
                    StringBuilder sb = new StringBuilder(base);
                    for (int i = 0; i + 2 < edits.size(); i += 3) {
                        int at = edits.get(i) % (sb.length() + 1);
                        char c = alphabet.charAt(edits.get(i + 1) % alphabet.length());
                        switch (edits.get(i + 2) % 3) {
                            case 0 -> { if (at < sb.length()) sb.setCharAt(at, c); }
                            case 1 -> sb.insert(at, c);
                            default -> { if (at < sb.length()) sb.deleteCharAt(at); }
                        }
                    }
                    return sameAnswer(sb.toString());
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2026-01-02T15:04:05Z,           2026-01-02T15:04:05Z",
            "2026-01-02t15:04:05z,           2026-01-02T15:04:05Z",
            "2026-01-02T17:04:05+02:00,      2026-01-02T15:04:05Z",
            "2026-01-02T10:04:05.5-05:00,    2026-01-02T15:04:05.500Z",
            "2026-01-02T15:04:05.123456789Z, 2026-01-02T15:04:05.123456789Z",
            "2024-02-29T00:00:00Z,           2024-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z,           0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999-18:00, +10000-01-01T17:59:59.999999999Z"})
    void reads(String text, String expected) {
        assertEquals(Instant.parse(expected), Rfc3339.parse(text));
        assertEquals(reference(text), Rfc3339.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "2026-01-02", "2026-01-02T15:04Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-01-02T24:00:00Z", "2026-01-02T15:04:60Z", "2026-01-02T15:04:05+18:30",
            "2026-01-02T15:04:05.Z", "2026-01-02T15:04:05.1234567890Z", "2026-01-02T15:04:05ZZ", "２026-01-02T15:04:05Z",
            "2026-01-02T15:04:05+02:00 "})
    void rejects(String text) {
        assertNull(Rfc3339.parse(text));
        assertNull(reference(text));
    }

    private static boolean sameAnswer(String text) {
        Instant expected = reference(text);
        Instant actual = Rfc3339.parse(text);
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError("\"" + text + "\": the formatter reads " + expected + ", the scan " + actual);
        }
        return true;
    }

    private static String pad(int value, int width) {
        String digits = Integer.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    private static String fraction(int seed) {
        int digits = seed % 12 - 1; // -1: none; 0: a bare point; 1-10 digits
        if (digits < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(".");
        for (int i = 0; i < digits; i++) {
            sb.append((char) ('0' + (seed * 7 + i * 3) % 10));
        }
        return sb.toString();
    }
}
