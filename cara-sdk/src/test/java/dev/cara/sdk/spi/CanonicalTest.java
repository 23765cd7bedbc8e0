package dev.cara.sdk.spi;

import dev.cara.sdk.NodeInfo;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class CanonicalTest {

    @Test
    void equalValuesShareTheFirstInstance() {
        NodeInfo first = Canonical.of(new NodeInfo("6.8.0-49-generic", "Ubuntu 24.04.1 LTS (noble)", "canonical-test"));
        NodeInfo second = new NodeInfo(new String("6.8.0-49-generic"), "Ubuntu 24.04.1 LTS (noble)", "canonical-test");
        assertSame(first, Canonical.of(second));
        assertNull(Canonical.of(null));
    }

    @Test
    void equalValuesOfAnotherClassAreNotSwapped() {
        Map<String, String> tree = Canonical.of(new TreeMap<>(Map.of("canonical-test", "tree")));
        HashMap<String, String> hash = new HashMap<>(Map.of("canonical-test", "tree"));
        assertEquals(tree, hash);
        assertSame(hash, Canonical.of(hash), "a HashMap caller must get a HashMap back");
    }
}
