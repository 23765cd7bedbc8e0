package dev.cara.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact amount of a resource, written the way Kubernetes writes it: {@code 4000m}, {@code 4},
 * {@code 8Gi}, {@code 512Mi}, {@code 1.5G}, {@code 1e3}, {@code 250u}, {@code 100n}.
 *
 * <p>The value is kept as an exact decimal, so parsing, comparing, adding and subtracting never
 * round, except that, as in Kubernetes, precision below one nano-unit is rounded away from zero to
 * the next nano-unit ({@code 0.1n} is {@code 1n}: asking for a little gets a little, never nothing).
 * Two quantities are {@linkplain #equals equal} when their values are equal, whatever their spelling
 * ({@code 1Gi} equals {@code 1024Mi}, {@code 1} equals {@code 1000m}).
 *
 * <p>{@link #toString()} prints Kubernetes' canonical form: in the suffix family of the original
 * (binary {@code Ki..Ei}, decimal {@code n..E}, or exponent {@code eN}), no fractional digits, and
 * the largest suffix that loses nothing: {@code 1.5} prints as {@code 1500m}, {@code 1.5Gi} as
 * {@code 1536Mi}, {@code 1.5G} as {@code 1500M}. A binary quantity that is not a whole number, or
 * is smaller than {@code 1Ki} in magnitude, prints with decimal suffixes, as in Kubernetes
 * ({@code 0.5Ki} prints as {@code 512}). One deliberate difference: a whole binary quantity that
 * no power of 1024 divides prints with decimal suffixes ({@code 2000} bytes prints as {@code 2k}
 * where Kubernetes writes {@code 2000}), so that printing is idempotent: {@code parse(q.toString())}
 * prints exactly as {@code q} does.
 *
 * <p>Immutable and thread-safe.
 */
public final class Quantity implements Comparable<Quantity> {

    /** The three ways of writing a suffix. Arithmetic keeps the format of the left operand unless it is zero. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private static final Pattern SYNTAX =
            Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|n|u|m|k|M|G|T|P|E)?");
    private static final String RULE = "a number with an optional suffix: n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei "
            + "or eN, with no space (for example 4, 4000m, 8Gi, 1.5G or 1e3)";
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KIBI = BigInteger.valueOf(1024);
    private static final BigDecimal KIBI_DECIMAL = BigDecimal.valueOf(1024);
    // Decimal suffixes by power of ten: index i stands for 10^(3 * i + NANO_EXPONENT).
    private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    private static final int NANO_EXPONENT = -9;
    private static final int EXA_EXPONENT = 18;
    // Guards against "1e999999999" and megabyte-long numbers, which would otherwise cost enormous
    // amounts of memory or time. No real resource comes near these bounds, and every quantity
    // within them prints in fewer than MAX_LENGTH characters, so what is printed parses back.
    private static final int MAX_EXPONENT = 64;
    private static final int MAX_DIGITS_BEFORE_POINT = 64;
    private static final int MAX_LENGTH = 128;
    private static final String MAGNITUDE_RULE = "a quantity smaller than 10^" + MAX_DIGITS_BEFORE_POINT + " in magnitude";
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    // Declared after the constants that the constructor reads: static fields initialise in order.
    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    private final BigDecimal value;
    private final Format format;
    // The value in milli-units, rounded up and saturated to the long range: the scheduler's fast path compares these.
    private final long milli;
    // The canonical spelling, computed on first use. A benign race, as with String.hashCode: every
    // thread computes the same string.
    private String text;

    private Quantity(BigDecimal value, Format format) {
        // Kubernetes keeps nano precision and rounds anything finer away from zero. Rounding only
        // when needed matters: setScale(9) on "100G" would inflate it to a BigInteger, and heartbeats
        // parse several quantities each.
        BigDecimal nano = value.scale() > -NANO_EXPONENT ? value.setScale(-NANO_EXPONENT, RoundingMode.UP) : value;
        this.value = nano.signum() == 0 ? BigDecimal.ZERO : nano.stripTrailingZeros();
        this.format = Objects.requireNonNull(format, "format");
        BigDecimal m = this.value.movePointRight(3);
        if (m.scale() > 0) {
            m = m.setScale(0, RoundingMode.CEILING);
        }
        this.milli = m.precision() - m.scale() <= 18 ? m.longValueExact() // fewer than 19 digits: fits a long
                : m.compareTo(LONG_MAX) >= 0 ? Long.MAX_VALUE
                : m.compareTo(LONG_MIN) <= 0 ? Long.MIN_VALUE : m.longValueExact();
    }

    /**
     * Parses a quantity.
     *
     * @throws InvalidException naming the text and the accepted syntax, when it is not a quantity
     */
    public static Quantity parse(String text) {
        Objects.requireNonNull(text, "text");
        // Agents send the same few spellings ("8", "32Gi", "7500m") in every heartbeat; parsing them
        // (a regex and BigDecimal arithmetic) was most of a heartbeat's decoding cost. Quantities are
        // immutable, so one parsed instance serves every caller.
        Quantity known = RECENT.get(text);
        if (known != null) {
            return known;
        }
        Quantity parsed = parseUncached(text);
        if (RECENT.size() >= RECENT_LIMIT) {
            RECENT.clear(); // crude but bounded: a flood of distinct spellings cannot grow the heap
        }
        RECENT.put(text, parsed);
        return parsed;
    }

    private static final int RECENT_LIMIT = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, Quantity> RECENT = new java.util.concurrent.ConcurrentHashMap<>();

    private static Quantity parseUncached(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new InvalidException("quantity", text, "at most " + MAX_LENGTH + " characters long: " + RULE);
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new InvalidException("quantity", text, RULE);
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        Quantity q = switch (suffix) {
            case "" -> new Quantity(number, Format.DECIMAL_SI);
            case "n" -> new Quantity(number.movePointLeft(9), Format.DECIMAL_SI);
            case "u" -> new Quantity(number.movePointLeft(6), Format.DECIMAL_SI);
            case "m" -> new Quantity(number.movePointLeft(3), Format.DECIMAL_SI);
            case "k" -> new Quantity(number.movePointRight(3), Format.DECIMAL_SI);
            case "M" -> new Quantity(number.movePointRight(6), Format.DECIMAL_SI);
            case "G" -> new Quantity(number.movePointRight(9), Format.DECIMAL_SI);
            case "T" -> new Quantity(number.movePointRight(12), Format.DECIMAL_SI);
            case "P" -> new Quantity(number.movePointRight(15), Format.DECIMAL_SI);
            case "E" -> new Quantity(number.movePointRight(18), Format.DECIMAL_SI);
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> new Quantity(
                    number.multiply(BigDecimal.valueOf(1L << (10 * binaryPower(suffix)))), Format.BINARY_SI);
            default -> {
                int exponent;
                try {
                    exponent = Integer.parseInt(suffix.substring(1));
                } catch (NumberFormatException e) {
                    exponent = Integer.MAX_VALUE;
                }
                if (Math.abs(exponent) > MAX_EXPONENT) {
                    throw new InvalidException("quantity", text,
                            "a quantity with an exponent between -" + MAX_EXPONENT + " and " + MAX_EXPONENT);
                }
                yield new Quantity(number.movePointRight(exponent), Format.DECIMAL_EXPONENT);
            }
        };
        if (tooLarge(q.value)) {
            throw new InvalidException("quantity", text, MAGNITUDE_RULE);
        }
        return q;
    }

    private static boolean tooLarge(BigDecimal v) {
        // In long: a JSON number such as 1101e2147483648 has the scale Integer.MIN_VALUE, and the int
        // difference would wrap to a negative digit count and pass.
        return v.signum() != 0 && (long) v.precision() - v.scale() > MAX_DIGITS_BEFORE_POINT;
    }

    /**
     * A quantity written as a bare JSON number ({@code "cpu": 4}), which Kubernetes also accepts. The
     * number's magnitude is checked before anything expands it, so {@code 1e999999999} is an error,
     * not a gigabyte of digits.
     */
    static Quantity ofJsonNumber(BigDecimal number, String field) {
        // The checks come before the constructor rounds, since rounding 1e-999999999 is what costs.
        if (number.precision() > MAX_LENGTH || number.scale() > MAX_LENGTH || tooLarge(number)) {
            throw new InvalidException(field, number.toString(), MAGNITUDE_RULE + ", with at most " + MAX_LENGTH + " digits");
        }
        return new Quantity(number, Format.DECIMAL_SI);
    }

    /** A whole number of units, for example {@code of(4)} for four CPUs. */
    public static Quantity of(long units) {
        return new Quantity(BigDecimal.valueOf(units), Format.DECIMAL_SI);
    }

    /** A number of milli-units, for example {@code ofMilli(250)} for a quarter CPU. */
    public static Quantity ofMilli(long milliUnits) {
        return new Quantity(BigDecimal.valueOf(milliUnits, 3), Format.DECIMAL_SI);
    }

    /** A number of bytes, printed with binary suffixes ({@code ofBytes(8L << 30)} is {@code 8Gi}). */
    public static Quantity ofBytes(long bytes) {
        return new Quantity(BigDecimal.valueOf(bytes), Format.BINARY_SI);
    }

    private static int binaryPower(String suffix) {
        for (int i = 1; i < BINARY_SUFFIXES.length; i++) {
            if (BINARY_SUFFIXES[i].equals(suffix)) {
                return i;
            }
        }
        throw new IllegalArgumentException(suffix);
    }

    /** The exact value in units. */
    public BigDecimal value() {
        return value;
    }

    public Format format() {
        return format;
    }

    /** The value in milli-units, rounded up (as Kubernetes' {@code MilliValue}); saturates at the long range. */
    public long milliValue() {
        return milli;
    }

    /**
     * The exact sum, in this quantity's format; when this quantity is zero, in {@code other}'s (as in
     * Kubernetes, so that summing from {@link #ZERO} keeps {@code 8Gi} binary).
     */
    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), resultFormat(other));
    }

    /** The exact difference, formatted as {@link #add} formats. */
    public Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value), resultFormat(other));
    }

    private Format resultFormat(Quantity other) {
        return value.signum() == 0 ? other.format : format;
    }

    public boolean isNegative() {
        return value.signum() < 0;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    /** Compares values; consistent with {@link #equals}. */
    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    /** Equal values are equal quantities, whatever their format or spelling. */
    @Override
    public boolean equals(Object o) {
        // Parsed quantities are shared (RECENT), so a heartbeat repeating its capacity compares instances.
        return o == this || o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.hashCode(); // value is stripped of trailing zeros, so equal values hash alike
    }

    /** The canonical spelling; {@code parse(q.toString())} equals {@code q} and prints the same. */
    @Override
    public String toString() {
        String s = text;
        if (s == null) {
            s = canonical();
            text = s;
        }
        return s;
    }

    private String canonical() {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI && value.scale() <= 0 && value.abs().compareTo(KIBI_DECIMAL) >= 0) {
            BigInteger whole = value.toBigIntegerExact();
            int power = 0;
            while (power < BINARY_SUFFIXES.length - 1 && whole.abs().compareTo(KIBI) >= 0
                    && whole.mod(KIBI).signum() == 0) {
                whole = whole.divide(KIBI);
                power++;
            }
            if (power > 0) {
                return whole + BINARY_SUFFIXES[power];
            }
            // No power of 1024 divides it: print it with decimal suffixes (see the class comment).
        }
        // value = unscaled * 10^exponent with unscaled free of trailing zeros (value is stripped).
        // Lower the exponent to a multiple of 3, as large as possible, so the mantissa stays whole.
        int exponent = -value.scale();
        int canonicalExponent = Math.floorDiv(exponent, 3) * 3;
        if (format != Format.DECIMAL_EXPONENT && canonicalExponent > EXA_EXPONENT) {
            canonicalExponent = EXA_EXPONENT; // no suffix beyond E: write 1000E rather than invent one
        }
        BigInteger mantissa = value.movePointLeft(canonicalExponent).toBigIntegerExact();
        if (format == Format.DECIMAL_EXPONENT) {
            return canonicalExponent == 0 ? mantissa.toString() : mantissa + "e" + canonicalExponent;
        }
        return mantissa + DECIMAL_SUFFIXES[(canonicalExponent - NANO_EXPONENT) / 3];
    }
}
