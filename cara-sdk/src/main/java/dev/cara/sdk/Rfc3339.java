package dev.cara.sdk;

import java.time.Instant;

/**
 * Reads the wire format's timestamps: RFC 3339 date-times such as {@code 2026-01-02T15:04:05Z} or
 * {@code 2026-01-02T17:04:05.5+02:00}. Four-digit year, seconds required, a fraction of 1 to 9
 * digits, and {@code Z} or a {@code +HH:MM} / {@code -HH:MM} offset of at most 18 hours; {@code T}
 * and {@code Z} in either case; every field in its range (no 24:00, no leap second, no 30 February).
 *
 * <p>Why a scan instead of a {@code DateTimeFormatter}: the format has fixed positions, and
 * {@code java.time.format} is a large machine to start. Building the formatter and its first parse
 * were about 3 ms of every {@code caractrl get nodes}, whose JVM lives for 80; a server reads every
 * node's timestamps on each list it relays. Rfc3339Test holds this scan to the formatter that it
 * replaced, over generated timestamps and near misses.
 */
final class Rfc3339 {
    private static final int[] NANOS_SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** 0000-01-01 to 1970-01-01: 1970 years of 365 days and 478 leap days. */
    private static final long DAYS_0000_TO_1970 = 719_528L;

    private Rfc3339() {
    }

    /** The instant the text names, or null if it is not an RFC 3339 date-time as above. */
    static Instant parse(CharSequence text) {
        int n = text.length();
        if (n < 20) {
            return null; // shorter than yyyy-MM-ddTHH:mm:ssZ
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0
                || text.charAt(4) != '-' || text.charAt(7) != '-' || !isEither(text.charAt(10), 'T', 't')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int first = ++i;
            while (i < n && i - first < 9 && isDigit(text.charAt(i))) {
                nanos = nanos * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == first) {
                return null; // a point with no digits
            }
            nanos *= NANOS_SCALE[i - first - 1];
        }
        int offsetSeconds = offsetSeconds(text, i);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochSecond = epochDay(year, month, day) * 86_400L
                + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The offset that runs from {@code at} to the end of the text, in seconds; MIN_VALUE if there is none. */
    private static int offsetSeconds(CharSequence text, int at) {
        int n = text.length();
        if (at == n - 1 && isEither(text.charAt(at), 'Z', 'z')) {
            return 0;
        }
        if (at != n - 6 || text.charAt(at + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        char sign = text.charAt(at);
        int hours = digits(text, at + 1, 2);
        int minutes = digits(text, at + 4, 2);
        if ((sign != '+' && sign != '-') || hours < 0 || minutes < 0 || minutes > 59 || hours > 18
                || (hours == 18 && minutes > 0)) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3_600 + minutes * 60;
        return sign == '-' ? -seconds : seconds;
    }

    /** The value of the {@code count} ASCII digits at {@code from}, or -1 if they are not all digits. */
    private static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Days from 1970-01-01 to a valid date of year 0 to 9999, by the proleptic Gregorian calendar: the
     * arithmetic of {@code LocalDate.toEpochDay}, done here because in caractrl's run the LocalDate
     * path brought java.time's chronology and formatter classes up with it (a class-initialisation trace
     * showed IsoChronology, Year and DateTimeFormatterBuilder, and lambdas spun at run time).
     */
    private static long epochDay(int year, int month, int day) {
        long days = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400; // to 1 January
        days += (367 * month - 362) / 12 + day - 1; // months as if February had 30 days
        if (month > 2) {
            days -= isLeap(year) ? 1 : 2;
        }
        return days - DAYS_0000_TO_1970;
    }

    private static int daysIn(int year, int month) {
        return month == 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
    }

    private static boolean isLeap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isEither(char c, char upper, char lower) {
        return c == upper || c == lower;
    }
}
