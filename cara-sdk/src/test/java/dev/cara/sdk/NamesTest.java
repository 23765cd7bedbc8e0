package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

class NamesTest {
    /** The DNS-subdomain rule as Kubernetes writes it; Names checks it with a scan that must agree. */
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Test
    void theNameCheckAgreesWithTheRulesRegularExpression() {
        // Strings over an alphabet rich in the characters the rule is about: '.', '-', edges and outsiders.
        String alphabet = "ab09-.-.A_ /";
        qt().withExamples(20_000).forAll(lists().of(integers().between(0, alphabet.length() - 1)).ofSizeBetween(0, 12))
                .check(picks -> {
                    StringBuilder sb = new StringBuilder();
                    picks.forEach(i -> sb.append(alphabet.charAt(i)));
                    String name = sb.toString();
                    boolean expected = !name.isEmpty() && DNS_SUBDOMAIN.matcher(name).matches();
                    return Names.isValidNodeName(name) == expected;
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a", "0", "worker-01", "web.example.com", "a-b-c", "1-2", "a.b.c.d", "x1.y2", "node--double-dash",
            "123", "a.0"})
    void acceptsDnsSubdomains(String name) {
        assertTrue(Names.isValidNodeName(name));
        assertEquals(name, Names.requireNodeName("metadata.name", name));
    }

    @Test
    void acceptsExactly253Characters() {
        String name253 = ("a".repeat(61) + ".").repeat(4) + "a".repeat(9); // 4 * 62 + 5 = 253
        String name = name253.substring(0, 253);
        assertEquals(253, name.length());
        assertTrue(Names.isValidNodeName(name), name);
        String tooLong = name.substring(0, 252) + "ab";
        assertEquals(254, tooLong.length());
        assertFalse(Names.isValidNodeName(tooLong));
        InvalidException e = assertThrows(InvalidException.class, () -> Names.requireNodeName("metadata.name", tooLong));
        assertTrue(e.getMessage().contains("1-253 characters"), e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Worker-01", "WORKER", "web_1", "-web", "web-", ".web", "web.", "a..b", "a.-b", "a-.b",
            "web 1", "wéb", "web/1", "web:1", "a\nb", "*", "web!"})
    void rejectsWhatIsNotADnsSubdomain(String name) {
        assertFalse(Names.isValidNodeName(name));
        InvalidException e = assertThrows(InvalidException.class, () -> Names.requireNodeName("metadata.name", name));
        assertEquals("metadata.name", e.field());
        assertEquals(name, e.value());
        assertTrue(e.getMessage().startsWith("metadata.name: \""), e.getMessage());
        assertTrue(e.getMessage().contains("is invalid: must be a DNS subdomain: 1-253 characters of lowercase letters, digits, "
                + "'-' and '.', starting and ending with a letter or digit"), e.getMessage());
    }

    @Test
    void theMessageForABadNameReadsWell() {
        assertEquals("metadata.name: \"Web_1\" is invalid: must be " + Names.DNS_SUBDOMAIN_RULE,
                assertThrows(InvalidException.class, () -> Names.requireNodeName("metadata.name", "Web_1")).getMessage());
    }

    @Test
    void anEmptyOrMissingNameIsRequired() {
        assertFalse(Names.isValidNodeName(""));
        assertFalse(Names.isValidNodeName(null));
        InvalidException empty = assertThrows(InvalidException.class, () -> Names.requireNodeName("metadata.name", ""));
        assertEquals("metadata.name is required: must be " + Names.DNS_SUBDOMAIN_RULE, empty.getMessage());
        assertThrows(InvalidException.class, () -> Names.requireNodeName("metadata.name", null));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"app", "App", "tier_1", "a.b-c_d", "cara.dev/zone", "kubernetes.io/hostname", "x/y", "a",
            "A1", "example.com/Some.Key_9"})
    void acceptsLabelKeys(String key) {
        assertEquals(key, Names.requireLabelKey("metadata.labels", key));
    }

    @Test
    void labelKeyNamesAreAtMost63Characters() {
        assertEquals("a".repeat(63), Names.requireLabelKey("metadata.labels", "a".repeat(63)));
        assertThrows(InvalidException.class, () -> Names.requireLabelKey("metadata.labels", "a".repeat(64)));
        String prefix = "p".repeat(253);
        assertEquals(prefix + "/k", Names.requireLabelKey("metadata.labels", prefix + "/k"));
        assertThrows(InvalidException.class, () -> Names.requireLabelKey("metadata.labels", "p".repeat(254) + "/k"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "/", "/app", "cara.dev/", "Cara.dev/zone", "a/b/c", "-app", "app-", "_app", "app.", "a b",
            "cara_dev/zone", "zone:1", "é"})
    void rejectsBadLabelKeys(String key) {
        InvalidException e = assertThrows(InvalidException.class, () -> Names.requireLabelKey("metadata.labels", key));
        assertEquals("metadata.labels", e.field());
        assertEquals(key, e.value());
        assertTrue(e.getMessage().contains("optional DNS-subdomain prefix"), e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "gpu", "GPU", "v1.2.3", "a_b-c.d", "0"})
    void acceptsLabelValues(String value) {
        assertEquals(value, Names.requireLabelValue("metadata.labels.tier", value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"-gpu", "gpu-", "a b", "a/b", "é", "_x"})
    void rejectsBadLabelValues(String value) {
        InvalidException e = assertThrows(InvalidException.class, () -> Names.requireLabelValue("metadata.labels.tier", value));
        assertEquals("metadata.labels.tier", e.field());
        assertTrue(e.getMessage().contains("at most 63 characters"), e.getMessage());
    }

    @Test
    void labelValuesAreAtMost63Characters() {
        assertEquals("v".repeat(63), Names.requireLabelValue("l", "v".repeat(63)));
        assertThrows(InvalidException.class, () -> Names.requireLabelValue("l", "v".repeat(64)));
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(value = {
            "My_Host.Example.COM | my-host.example.com",
            "worker-01 | worker-01",
            "WORKER01 | worker01",
            "host name with spaces | host-name-with-spaces",
            "-leading.and.trailing- | leading.and.trailing",
            ".dots.. | dots",
            "a..b | a.b",
            "a-.-b | a.b",
            "a_-_b | a---b",
            "café.local | caf.local",
            "xn--caf-dma.local | xn--caf-dma.local",
            "host.local. | host.local",
    }, delimiter = '|')
    void sanitizesHostNames(String hostname, String expected) {
        Optional<String> name = Names.sanitizeNodeName(hostname);
        assertEquals(Optional.of(expected), name);
        assertTrue(Names.isValidNodeName(name.orElseThrow()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"---", "", "...", "-.-", "___", "ééé", " "})
    void sanitizingLeavesNothingForHopelessHostNames(String hostname) {
        assertEquals(Optional.empty(), Names.sanitizeNodeName(hostname));
    }

    @Test
    void sanitizingNullGivesNothing() {
        assertEquals(Optional.empty(), Names.sanitizeNodeName(null));
    }

    @Test
    void sanitizingCutsLongHostNamesToAValidName() {
        String longHost = ("Segment_" + "x".repeat(50) + ".").repeat(10);
        String name = Names.sanitizeNodeName(longHost).orElseThrow();
        assertTrue(name.length() <= 253, () -> name.length() + ": " + name);
        assertTrue(Names.isValidNodeName(name), name);
        assertTrue(name.startsWith("segment-xxx"), name);
        String oneHugeLabel = "a".repeat(252) + "-" + "b".repeat(10);
        String cut = Names.sanitizeNodeName(oneHugeLabel).orElseThrow();
        assertEquals("a".repeat(252), cut, "a cut never ends in '-'");
    }
}
