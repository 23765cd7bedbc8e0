package dev.cara.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact amount of a resource, written the way Kubernetes writes it: {@code 4000m}, {@code 4},
 * {@code 8Gi}, {@code 512Mi}, {@code 1.5G}, {@code 1e3}.
 *
 * <p>The value is kept as an exact decimal, so parsing, comparing, adding and subtracting never
 * round, except that, as in Kubernetes, precision below one milli-unit is rounded up to the next
 * milli-unit. Two quantities are {@linkplain #equals equal} when their values are equal, whatever
 * their spelling ({@code 1Gi} equals {@code 1024Mi}, {@code 1} equals {@code 1000m}).
 *
 * <p>{@link #toString()} prints the canonical spelling: the suffix family of the original (binary
 * {@code Ki..Ei}, decimal {@code m..E}, or exponent {@code eN}), with the largest suffix that keeps
 * the number whole. A binary quantity that is not a whole number falls back to decimal suffixes,
 * as Kubernetes does: {@code 0.5Gi} prints as {@code 512Mi}, {@code 1.5} prints as {@code 1500m}.
 */
public final class Quantity implements Comparable<Quantity> {

    /** The three ways of writing a suffix. Arithmetic keeps the format of the left operand. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    // Declared before ZERO: the constructor reads them, and static fields initialise in order.
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    private static final Pattern SYNTAX =
            Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|m|k|M|G|T|P|E)?");
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KIBI = BigInteger.valueOf(1024);
    // Decimal suffixes by power of ten / 3, starting at milli (-3).
    private static final String[] DECIMAL_SUFFIXES = {"m", "", "k", "M", "G", "T", "P", "E"};
    // A guard against "1e999999999", which would otherwise allocate an enormous number.
    private static final int MAX_EXPONENT = 64;

    private final BigDecimal value;
    private final Format format;
    // The value in milli-units, saturated to the long range: the scheduler's fast path compares these.
    private final long milli;

    private Quantity(BigDecimal value, Format format) {
        // Kubernetes keeps milli precision and rounds anything finer up.
        BigDecimal milli = value.setScale(3, RoundingMode.CEILING).stripTrailingZeros();
        this.value = milli.signum() == 0 ? BigDecimal.ZERO : milli;
        this.format = format;
        BigDecimal m = this.value.movePointRight(3);
        this.milli = m.compareTo(LONG_MAX) >= 0 ? Long.MAX_VALUE
                : m.compareTo(LONG_MIN) <= 0 ? Long.MIN_VALUE : m.longValueExact();
    }


    /**
     * Parses a quantity.
     *
     * @throws InvalidException naming the text and the accepted syntax, when it is not a quantity
     */
    public static Quantity parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new InvalidException("quantity", text,
                    "a number with an optional suffix: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or eN (for example 4000m, 8Gi, 1.5G)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        return switch (suffix) {
            case "" -> new Quantity(number, Format.DECIMAL_SI);
            case "m" -> new Quantity(number.movePointLeft(3), Format.DECIMAL_SI);
            case "k" -> new Quantity(number.movePointRight(3), Format.DECIMAL_SI);
            case "M" -> new Quantity(number.movePointRight(6), Format.DECIMAL_SI);
            case "G" -> new Quantity(number.movePointRight(9), Format.DECIMAL_SI);
            case "T" -> new Quantity(number.movePointRight(12), Format.DECIMAL_SI);
            case "P" -> new Quantity(number.movePointRight(15), Format.DECIMAL_SI);
            case "E" -> new Quantity(number.movePointRight(18), Format.DECIMAL_SI);
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> new Quantity(
                    number.multiply(new BigDecimal(KIBI.pow(binaryPower(suffix)))), Format.BINARY_SI);
            default -> {
                int exponent;
                try {
                    exponent = Integer.parseInt(suffix.substring(1));
                } catch (NumberFormatException e) {
                    exponent = Integer.MAX_VALUE;
                }
                if (Math.abs(exponent) > MAX_EXPONENT) {
                    throw new InvalidException("quantity", text, "an exponent between -" + MAX_EXPONENT + " and " + MAX_EXPONENT);
                }
                yield new Quantity(number.movePointRight(exponent), Format.DECIMAL_EXPONENT);
            }
        };
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

    /** The value in milli-units, rounded up; saturates at {@code Long.MAX_VALUE}. */
    public long milliValue() {
        return milli;
    }

    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), format);
    }

    public Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value), format);
    }

    public boolean isNegative() {
        return value.signum() < 0;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.hashCode(); // value is stripped of trailing zeros, so equal values hash alike
    }

    /** The canonical spelling; {@code parse(q.toString())} equals {@code q}. */
    @Override
    public String toString() {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI && value.scale() <= 0) {
            BigInteger whole = value.toBigIntegerExact();
            int power = 0;
            while (power < BINARY_SUFFIXES.length - 1 && whole.signum() != 0 && whole.mod(KIBI).signum() == 0
                    && whole.abs().compareTo(KIBI) >= 0) {
                whole = whole.divide(KIBI);
                power++;
            }
            if (power > 0 || whole.abs().compareTo(KIBI) < 0) {
                return whole + BINARY_SUFFIXES[power];
            }
        }
        // Find the largest power of 1000 (from milli up) that leaves a whole number.
        int best = 0; // index into DECIMAL_SUFFIXES; 0 is milli
        for (int i = DECIMAL_SUFFIXES.length - 1; i >= 0; i--) {
            BigDecimal scaled = value.movePointLeft(3 * (i - 1));
            if (scaled.stripTrailingZeros().scale() <= 0) {
                best = i;
                break;
            }
        }
        BigDecimal scaled = value.movePointLeft(3 * (best - 1)).stripTrailingZeros();
        String number = scaled.toPlainString();
        if (format == Format.DECIMAL_EXPONENT) {
            int exponent = 3 * (best - 1);
            return exponent == 0 ? number : number + "e" + exponent;
        }
        return number + DECIMAL_SUFFIXES[best];
    }
}
