package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Properties of {@link Quantity} over random spellings in every suffix family, 1,000+ tries each. */
class QuantityPropertiesTest {
    private static final int TRIES = 2_000;

    private static final Map<String, BigDecimal> MULTIPLIERS = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("e0", BigDecimal.ONE), Map.entry("e3", new BigDecimal("1e3")),
            Map.entry("e-3", new BigDecimal("1e-3")), Map.entry("e2", new BigDecimal("1e2")),
            Map.entry("E-1", new BigDecimal("1e-1")), Map.entry("e+7", new BigDecimal("1e7")),
            Map.entry("e-9", new BigDecimal("1e-9")), Map.entry("e12", new BigDecimal("1e12")));

    /** A number with up to 12 digits and up to 6 of them after the point, with a random suffix. */
    static Gen<String> spellings() {
        Gen<Long> digits = arbitrary().pick(List.of(0L, 1L, -1L, 1024L, 1000L, 1536L, 999L))
                .mix(longs().between(-999_999_999_999L, 999_999_999_999L), 80);
        Gen<Integer> scale = integers().between(0, 6);
        Gen<String> suffix = arbitrary().pick(List.copyOf(MULTIPLIERS.keySet()));
        return digits.zip(scale, suffix, (d, s, x) -> BigDecimal.valueOf(d, s).toPlainString() + x);
    }

    static Gen<Quantity> quantities() {
        return spellings().map(Quantity::parse);
    }

    /** The value a spelling means, computed independently of Quantity: exact, rounded up to a nano-unit. */
    private static BigDecimal expectedValue(String spelling) {
        int split = 0;
        while (split < spelling.length() && "+-.0123456789".indexOf(spelling.charAt(split)) >= 0) {
            split++;
        }
        BigDecimal exact = new BigDecimal(spelling.substring(0, split)).multiply(MULTIPLIERS.get(spelling.substring(split)));
        return exact.setScale(9, RoundingMode.UP);
    }

    @Test
    void parsingComputesTheExactValue() {
        qt().withExamples(TRIES).forAll(spellings())
                .check(s -> Quantity.parse(s).value().compareTo(expectedValue(s)) == 0);
    }

    @Test
    void theCanonicalFormParsesBackToTheSameQuantityAndPrintsTheSame() {
        qt().withExamples(TRIES).forAll(quantities()).check(q -> {
            String printed = q.toString();
            Quantity again = Quantity.parse(printed);
            return again.equals(q) && again.toString().equals(printed);
        });
    }

    @Test
    void theCanonicalFormHasNoFractionAndNoSpace() {
        qt().withExamples(TRIES).forAll(quantities())
                .check(q -> !q.toString().contains(".") && !q.toString().contains(" ") && !q.toString().startsWith("+"));
    }

    @Test
    void sumsAndDifferencesAlsoPrintCanonically() {
        qt().withExamples(TRIES).forAll(quantities(), quantities()).check((a, b) -> {
            Quantity sum = a.add(b);
            return Quantity.parse(sum.toString()).equals(sum)
                    && Quantity.parse(sum.toString()).toString().equals(sum.toString());
        });
    }

    @Test
    void addThenSubtractGivesTheOriginalBack() {
        qt().withExamples(TRIES).forAll(quantities(), quantities())
                .check((a, b) -> a.add(b).subtract(b).equals(a) && a.subtract(b).add(b).equals(a));
    }

    @Test
    void additionIsExactCommutativeAndAssociative() {
        qt().withExamples(TRIES).forAll(quantities(), quantities(), quantities()).check((a, b, c) ->
                a.add(b).value().compareTo(a.value().add(b.value())) == 0
                        && a.add(b).equals(b.add(a))
                        && a.add(b).add(c).equals(a.add(b.add(c))));
    }

    @Test
    void arithmeticKeepsTheLeftFormatUnlessTheLeftIsZero() {
        qt().withExamples(TRIES).forAll(quantities(), quantities()).check((a, b) -> {
            Quantity.Format expected = a.isZero() ? b.format() : a.format();
            return a.add(b).format() == expected && a.subtract(b).format() == expected;
        });
    }

    @Test
    void compareIsConsistentWithEqualsAndAntisymmetric() {
        qt().withExamples(TRIES).forAll(quantities(), quantities()).check((a, b) ->
                (a.compareTo(b) == 0) == a.equals(b)
                        && Integer.signum(a.compareTo(b)) == -Integer.signum(b.compareTo(a))
                        && Integer.signum(a.compareTo(b)) == a.value().compareTo(b.value()));
    }

    @Test
    void everySpellingOfTheSameValueIsEqualWithTheSameHash() {
        qt().withExamples(TRIES).forAll(quantities()).check(q -> {
            // The same value written as plain units, as nano-units, and with an exponent.
            List<Quantity> spellings = List.of(
                    Quantity.parse(q.value().toPlainString()),
                    Quantity.parse(q.value().movePointRight(9).toBigIntegerExact() + "n"),
                    Quantity.parse(q.value().movePointRight(9).toBigIntegerExact() + "e-9"),
                    Quantity.parse(q.toString()));
            return spellings.stream().allMatch(other ->
                    other.equals(q) && q.equals(other) && other.hashCode() == q.hashCode() && other.compareTo(q) == 0);
        });
    }

    @Test
    void milliValueIsTheValueInMilliUnitsRoundedUp() {
        qt().withExamples(TRIES).forAll(quantities()).check(q -> {
            BigDecimal milli = q.value().movePointRight(3).setScale(0, RoundingMode.CEILING);
            if (milli.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
                return q.milliValue() == Long.MAX_VALUE;
            }
            if (milli.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) <= 0) {
                return q.milliValue() == Long.MIN_VALUE;
            }
            return q.milliValue() == milli.longValueExact();
        });
    }

    @Test
    void milliValuesOrderAsTheQuantitiesDo() {
        qt().withExamples(TRIES).forAll(quantities(), quantities())
                .check((a, b) -> a.compareTo(b) > 0 ? a.milliValue() >= b.milliValue() : a.milliValue() <= b.milliValue());
    }
}
