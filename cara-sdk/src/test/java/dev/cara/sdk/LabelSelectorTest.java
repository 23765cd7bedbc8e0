package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSelectorTest {
    private static final Map<String, String> GPU_EU = Map.of("tier", "gpu", "zone", "eu-1", "cara.dev/arch", "arm64");
    private static final Map<String, String> CPU_US = Map.of("tier", "cpu", "zone", "us-1", "spot", "");

    private static boolean matches(String selector, Map<String, String> labels) {
        return LabelSelector.parse(selector).matches(labels);
    }

    @Test
    void equality() {
        assertTrue(matches("tier=gpu", GPU_EU));
        assertTrue(matches("tier==gpu", GPU_EU));
        assertFalse(matches("tier=gpu", CPU_US));
        assertFalse(matches("missing=x", GPU_EU));
        assertTrue(matches("cara.dev/arch=arm64", GPU_EU));
        assertTrue(matches("spot=", CPU_US), "an empty value matches a label whose value is empty");
        assertFalse(matches("spot=", GPU_EU));
    }

    @Test
    void inequality() {
        assertTrue(matches("tier!=gpu", CPU_US));
        assertFalse(matches("tier!=gpu", GPU_EU));
        assertTrue(matches("missing!=x", GPU_EU), "as in Kubernetes, != matches nodes without the label");
    }

    @Test
    void existence() {
        assertTrue(matches("zone", GPU_EU));
        assertTrue(matches("spot", CPU_US));
        assertFalse(matches("spot", GPU_EU));
        assertTrue(matches("!spot", GPU_EU));
        assertFalse(matches("!spot", CPU_US));
    }

    @Test
    void setMembership() {
        assertTrue(matches("zone in (eu-1,eu-2)", GPU_EU));
        assertFalse(matches("zone in (eu-1,eu-2)", CPU_US));
        assertTrue(matches("zone notin (eu-1,eu-2)", CPU_US));
        assertFalse(matches("zone notin (eu-1,eu-2)", GPU_EU));
        assertTrue(matches("missing notin (a)", GPU_EU), "notin matches nodes without the label");
        assertFalse(matches("missing in (a)", GPU_EU));
        assertTrue(matches("zone in (eu-1)", GPU_EU));
    }

    @Test
    void requirementsAreAnded() {
        assertTrue(matches("tier=gpu,zone in (eu-1),!spot,cara.dev/arch", GPU_EU));
        assertFalse(matches("tier=gpu,spot", GPU_EU));
        assertFalse(matches("tier=gpu,zone notin (eu-1)", GPU_EU));
    }

    @Test
    void whitespaceAroundTokensIsAllowed() {
        LabelSelector spaced = LabelSelector.parse("  tier = gpu ,  zone   in   ( eu-1 , eu-2 ) , ! spot , tier != cpu  ");
        assertTrue(spaced.matches(GPU_EU));
        assertFalse(spaced.matches(CPU_US));
        assertEquals(LabelSelector.parse("tier=gpu,zone in (eu-1,eu-2),!spot,tier!=cpu"), spaced);
        assertTrue(matches("zone in(eu-1)", GPU_EU));
    }

    @Test
    void blankSelectsEverything() {
        for (String blank : new String[] {null, "", "   "}) {
            LabelSelector s = LabelSelector.parse(blank);
            assertSame(LabelSelector.everything(), s);
            assertTrue(s.selectsEverything());
            assertTrue(s.matches(Map.of()));
            assertTrue(s.matches(GPU_EU));
        }
    }

    @Test
    void requirementsAreExposed() {
        List<LabelSelector.Requirement> reqs = LabelSelector.parse("tier=gpu,zone notin (a,b),gpu,!spot").requirements();
        assertEquals(List.of(
                new LabelSelector.Requirement("tier", LabelSelector.Operator.IN, Set.of("gpu")),
                new LabelSelector.Requirement("zone", LabelSelector.Operator.NOT_IN, Set.of("a", "b")),
                new LabelSelector.Requirement("gpu", LabelSelector.Operator.EXISTS, Set.of()),
                new LabelSelector.Requirement("spot", LabelSelector.Operator.DOES_NOT_EXIST, Set.of())), reqs);
        assertEquals("tier=gpu,zone notin (a,b),gpu,!spot", LabelSelector.parse(" tier=gpu,zone notin (a,b),gpu,!spot ").toString());
    }

    @Test
    void matchingBuildsEqualityRequirements() {
        LabelSelector s = LabelSelector.matching(Map.of("tier", "gpu"));
        assertTrue(s.matches(GPU_EU));
        assertFalse(s.matches(CPU_US));
        assertEquals(LabelSelector.parse("tier=gpu"), s);
        assertEquals(LabelSelector.parse("tier=gpu").hashCode(), s.hashCode());
        assertTrue(s.matches(Node.builder("n").label("tier", "gpu").build()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"tier=gpu,", ",tier=gpu", "tier=gpu,,zone", "=gpu", "tier=g pu", "tier=gpu=x", "bad key=x",
            "zone in (a", "zone in a", "zone in ()", "zone notin ( )", "zone inn (a)", "zone in (a) x", "zone in (a b)",
            "zone > 3", "!", "!=x", "Tier_/x=y", "tier=-gpu", "zone in (-a)", "a), b", "tier=x/y", "!tier=gpu"})
    void invalidSyntaxNamesLabelSelector(String text) {
        InvalidException e = assertThrows(InvalidException.class, () -> LabelSelector.parse(text));
        assertEquals("labelSelector", e.field());
        assertEquals(text, e.value());
        assertTrue(e.getMessage().startsWith("labelSelector: \""), e.getMessage());
        assertTrue(e.getMessage().contains("comma-separated requirements such as app=web"), e.getMessage());
    }
}
