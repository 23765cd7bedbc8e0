package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantityTest {

    /** Input, then Kubernetes' canonical spelling (checked against apimachinery's resource.Quantity rules). */
    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "4000m, 4",
            "4, 4",
            "8Gi, 8Gi",
            "512Mi, 512Mi",
            "1.5G, 1500M",
            "1.5Gi, 1536Mi",
            "0.5, 500m",
            "100m, 100m",
            "1e3, 1e3",
            "1E3, 1e3",
            "1e+3, 1e3",
            "1.5e3, 1500",
            "0.5e0, 500e-3",
            "1k, 1k",
            "1000, 1k",
            "0, 0",
            "0Gi, 0",
            "-0, 0",
            "+4, 4",
            "-4, -4",
            "-1.5, -1500m",
            "-1Gi, -1Gi",
            "-1.5Gi, -1536Mi",
            "1024Mi, 1Gi",
            "1048576Ki, 1Gi",
            "1024Ei, 1024Ei",
            "1.5Ki, 1536",
            "0.5Ki, 512",
            "1000Ki, 1000Ki",
            "2048Ki, 2Mi",
            "1Ki, 1Ki",
            "5., 5",
            ".5, 500m",
            "0.1m, 100u",
            "250u, 250u",
            "1000000n, 1m",
            "100n, 100n",
            "0.0000000001, 1n",
            "1.0000000001, 1000000001n",
            "12345678n, 12345678n",
            "1000E, 1000E",
            "1e21, 1e21",
            "1000P, 1E",
            "0.001k, 1",
            "1.000, 1",
            "007, 7",
    })
    void printsTheCanonicalForm(String input, String canonical) {
        Quantity q = Quantity.parse(input);
        assertEquals(canonical, q.toString());
        assertEquals(q, Quantity.parse(canonical), "the canonical form means the same value");
        assertEquals(canonical, Quantity.parse(canonical).toString(), "the canonical form is a fixed point");
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {"4 Gi", " 4", "4 ", "abc", "1.2.3", "Gi", "1x", "", "1gi", "1KI", "1ki", "1K", "--1", "+-1",
            "1e", "1e+", "e3", ".", "1..5", "1Gi2", "1.5.Gi", "1e999999999", "1e65", "1e-65", "1e99999999999999999999",
            "0x10", "1_000", "١", "Infinity", "NaN"})
    void rejectsWhatIsNotAQuantity(String text) {
        InvalidException e = assertThrows(InvalidException.class, () -> Quantity.parse(text));
        assertEquals("quantity", e.field());
        assertEquals(text, e.value());
        assertTrue(e.getMessage().contains("must be"), e.getMessage());
    }

    @Test
    void rejectsHugeNumbersWithoutExpandingThem() {
        String longNumber = "1" + "0".repeat(200);
        assertThrows(InvalidException.class, () -> Quantity.parse(longNumber));
        assertThrows(InvalidException.class, () -> Quantity.parse("1" + "0".repeat(60) + "e10"));
        assertThrows(InvalidException.class, () -> Quantity.parse("1" + "0".repeat(50) + "E"));
        InvalidException e = assertThrows(InvalidException.class,
                () -> Quantity.ofJsonNumber(new BigDecimal("1e999999999"), "status.capacity.cpu"));
        assertEquals("status.capacity.cpu", e.field());
        assertThrows(InvalidException.class, () -> Quantity.ofJsonNumber(new BigDecimal("1e-999999999"), "x"));
        // The exponent at the int limit: precision minus scale overflowed an int and the number passed
        // the magnitude check, then the constructor threw ArithmeticException (HeartbeatStreamTest found it).
        InvalidException atTheLimit = assertThrows(InvalidException.class,
                () -> Quantity.ofJsonNumber(new BigDecimal("1101e2147483648"), "status.capacity.pods"));
        assertEquals("status.capacity.pods", atTheLimit.field());
        assertThrows(InvalidException.class, () -> Quantity.ofJsonNumber(new BigDecimal("1e2147483647"), "x"));
        // Within bounds, the largest values still parse, print and parse back.
        Quantity big = Quantity.parse("9".repeat(64));
        assertEquals(big, Quantity.parse(big.toString()));
    }

    @Test
    void theErrorMessageNamesTheTextAndTheSyntax() {
        InvalidException e = assertThrows(InvalidException.class, () -> Quantity.parse("4 Gi"));
        assertTrue(e.getMessage().startsWith("quantity: \"4 Gi\" is invalid: must be a number with an optional suffix"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Gi") && e.getMessage().contains("4000m"), e.getMessage());
    }

    @Test
    void equalityIgnoresTheSpelling() {
        assertEquals(Quantity.parse("1Gi"), Quantity.parse("1024Mi"));
        assertEquals(Quantity.parse("1"), Quantity.parse("1000m"));
        assertEquals(Quantity.parse("1k"), Quantity.parse("1e3"));
        assertEquals(Quantity.parse("1k"), Quantity.parse("1000"));
        assertEquals(Quantity.parse("0"), Quantity.parse("0Gi"));
        assertEquals(Quantity.parse("0"), Quantity.ZERO);
        assertEquals(Quantity.parse("1Gi").hashCode(), Quantity.parse("1024Mi").hashCode());
        assertEquals(Quantity.parse("1").hashCode(), Quantity.parse("1000m").hashCode());
        assertEquals(Quantity.parse("1k").hashCode(), Quantity.parse("1e3").hashCode());
        assertNotEquals(Quantity.parse("1G"), Quantity.parse("1Gi"));
        assertNotEquals(Quantity.parse("1"), Quantity.parse("1001m"));
        assertFalse(Quantity.parse("1").equals("1"));
    }

    @Test
    void comparesByValue() {
        assertTrue(Quantity.parse("1G").compareTo(Quantity.parse("1Gi")) < 0);
        assertTrue(Quantity.parse("1Gi").compareTo(Quantity.parse("1G")) > 0);
        assertEquals(0, Quantity.parse("1500m").compareTo(Quantity.parse("1.5")));
        assertTrue(Quantity.parse("-1").compareTo(Quantity.ZERO) < 0);
        assertTrue(Quantity.parse("999m").compareTo(Quantity.parse("1")) < 0);
        assertTrue(Quantity.parse("1n").compareTo(Quantity.ZERO) > 0);
    }

    @Test
    void addsAndSubtractsExactlyInTheLeftFormat() {
        assertEquals("1536Mi", Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString());
        assertEquals("4500m", Quantity.parse("4").add(Quantity.parse("500m")).toString());
        assertEquals("3500m", Quantity.parse("4").subtract(Quantity.parse("500m")).toString());
        assertEquals("1073741824500m", Quantity.parse("1Gi").add(Quantity.parse("0.5")).toString(),
                "a binary quantity with a fraction falls back to decimal suffixes");
        assertEquals("1001M", Quantity.parse("1G").add(Quantity.parse("1M")).toString());
        assertEquals("-512Mi", Quantity.parse("512Mi").subtract(Quantity.parse("1Gi")).toString());
        assertEquals("0", Quantity.parse("8Gi").subtract(Quantity.parse("8Gi")).toString());
        assertEquals("2e3", Quantity.parse("1e3").add(Quantity.parse("1k")).toString());
        // 0.1 + 0.2 is exactly 0.3: no floating point anywhere.
        assertEquals(Quantity.parse("300m"), Quantity.parse("0.1").add(Quantity.parse("0.2")));
    }

    @Test
    void zeroTakesTheOtherOperandsFormatAsKubernetesDoes() {
        assertEquals("8Gi", Quantity.ZERO.add(Quantity.parse("8Gi")).toString());
        assertEquals("-8Gi", Quantity.ZERO.subtract(Quantity.parse("8Gi")).toString());
        assertEquals(Quantity.Format.BINARY_SI, Quantity.ZERO.add(Quantity.parse("8Gi")).format());
        assertEquals("8Gi", Quantity.parse("0Gi").add(Quantity.parse("8Gi")).toString());
    }

    @Test
    void summingResourcesFromNothingKeepsBinarySuffixes() {
        ResourceList used = ResourceList.EMPTY
                .plus(ResourceList.parse(java.util.Map.of("memory", "2Gi", "cpu", "500m")))
                .plus(ResourceList.parse(java.util.Map.of("memory", "512Mi", "cpu", "1")));
        assertEquals("2560Mi", used.amount("memory").toString());
        assertEquals("1500m", used.amount("cpu").toString());
        ResourceList left = ResourceList.EMPTY.minus(ResourceList.parse(java.util.Map.of("memory", "1Gi")));
        assertEquals("-1Gi", left.amount("memory").toString());
    }

    @Test
    void milliValueRoundsUp() {
        assertEquals(4000, Quantity.parse("4").milliValue());
        assertEquals(100, Quantity.parse("100m").milliValue());
        assertEquals(1500, Quantity.parse("1.5").milliValue());
        assertEquals(1, Quantity.parse("1n").milliValue(), "a nano-unit still needs one milli-unit");
        assertEquals(1, Quantity.parse("250u").milliValue());
        assertEquals(2, Quantity.parse("1001u").milliValue());
        assertEquals(-1000, Quantity.parse("-1").milliValue());
        assertEquals(0, Quantity.parse("-1n").milliValue(), "ceil(-0.000001)");
        assertEquals(8L * 1024 * 1024 * 1024 * 1000, Quantity.parse("8Gi").milliValue());
        assertEquals(Long.MAX_VALUE, Quantity.parse("100E").milliValue(), "saturates");
        assertEquals(Long.MIN_VALUE, Quantity.parse("-100E").milliValue(), "saturates");
        assertEquals(0, Quantity.ZERO.milliValue());
    }

    @Test
    void factoriesBuildTheSameValuesAsTheirSpellings() {
        assertEquals(Quantity.parse("4"), Quantity.of(4));
        assertEquals("4", Quantity.of(4).toString());
        assertEquals("250m", Quantity.ofMilli(250).toString());
        assertEquals("8Gi", Quantity.ofBytes(8L << 30).toString());
        assertEquals("1536", Quantity.ofBytes(1536).toString());
        assertEquals("1k", Quantity.ofBytes(1000).toString(), "below 1Ki a byte count prints as Kubernetes prints it");
        assertEquals("2k", Quantity.ofBytes(2000).toString(), "not a multiple of 1Ki: decimal, so it reads back the same");
        assertEquals("16264524Ki", Quantity.ofBytes(16_654_872_576L).toString(), "what a kubelet reports for 16 GB of RAM");
    }

    @Test
    void precisionBelowANanoUnitRoundsAwayFromZero() {
        assertEquals("1n", Quantity.parse("0.1n").toString());
        assertEquals("-1n", Quantity.parse("-0.1n").toString());
        assertEquals("2n", Quantity.parse("1.01n").toString());
        assertTrue(Quantity.parse("0.0000000001").isNegative() == false && !Quantity.parse("0.0000000001").isZero());
    }

    @Test
    void signAndZeroPredicates() {
        assertTrue(Quantity.parse("-1m").isNegative());
        assertFalse(Quantity.parse("1m").isNegative());
        assertTrue(Quantity.parse("0Mi").isZero());
        assertTrue(Quantity.parse("1").subtract(Quantity.parse("1000m")).isZero());
    }

    @Test
    void formatsFollowTheSuffix() {
        assertEquals(Quantity.Format.DECIMAL_SI, Quantity.parse("4").format());
        assertEquals(Quantity.Format.DECIMAL_SI, Quantity.parse("4k").format());
        assertEquals(Quantity.Format.BINARY_SI, Quantity.parse("4Ki").format());
        assertEquals(Quantity.Format.DECIMAL_EXPONENT, Quantity.parse("4e3").format());
    }
}
