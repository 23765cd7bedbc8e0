package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeValidationTest {

    private static Node manifest(String apiVersion, String kind, String name) {
        return CaraJson.parseManifest("""
                {"apiVersion": "%s", "kind": "%s", "metadata": {"name": "%s"}}""".formatted(apiVersion, kind, name));
    }

    @Test
    void aGoodManifestIsValid() {
        Node node = manifest("caravanserai/v1", "Node", "worker-01");
        assertSame(node, node.validate());
        Node built = Node.builder("worker-01").label("cara.dev/zone", "eu-1").annotation("note", "any text at all")
                .hostname("worker-01.example.com").unschedulable(true).build();
        assertSame(built, built.validate());
    }

    @Test
    void apiVersionMustBeCaravanseraiV1() {
        for (String wrong : new String[] {"v1", "caravanserai/v2", "Caravanserai/v1", "caravanserai/v1 ", ""}) {
            InvalidException e = assertThrows(InvalidException.class, () -> manifest(wrong, "Node", "n").validate(), wrong);
            assertEquals("apiVersion", e.field());
            assertEquals(wrong, e.value());
            assertEquals("apiVersion: \"" + wrong + "\" is invalid: must be \"caravanserai/v1\"", e.getMessage());
        }
    }

    @Test
    void kindMustBeNode() {
        for (String wrong : new String[] {"Pod", "node", "NodeList", ""}) {
            InvalidException e = assertThrows(InvalidException.class,
                    () -> manifest("caravanserai/v1", wrong, "n").validate(), wrong);
            assertEquals("kind", e.field());
            assertEquals("kind: \"" + wrong + "\" is invalid: must be \"Node\"", e.getMessage());
        }
    }

    @Test
    void theNameMustBeADnsSubdomain() {
        InvalidException e = assertThrows(InvalidException.class, () -> manifest("caravanserai/v1", "Node", "Web_1").validate());
        assertEquals("metadata.name", e.field());
        assertEquals("Web_1", e.value());
        assertEquals("metadata.name: \"Web_1\" is invalid: must be " + Names.DNS_SUBDOMAIN_RULE, e.getMessage());
        assertEquals("metadata.name", assertThrows(InvalidException.class,
                () -> manifest("caravanserai/v1", "Node", "").validate()).field());
        assertEquals("metadata.name", assertThrows(InvalidException.class,
                () -> manifest("caravanserai/v1", "Node", "x".repeat(254)).validate()).field());
    }

    @Test
    void labelsAndAnnotationKeysAreChecked() {
        Node badKey = manifest("caravanserai/v1", "Node", "n").withMetadata(ObjectMeta.named("n").withLabels(Map.of("bad key", "v")));
        InvalidException e = assertThrows(InvalidException.class, badKey::validate);
        assertEquals("metadata.labels", e.field());
        assertEquals("bad key", e.value());

        Node badValue = manifest("caravanserai/v1", "Node", "n").withMetadata(ObjectMeta.named("n").withLabels(Map.of("tier", "-gpu")));
        InvalidException v = assertThrows(InvalidException.class, badValue::validate);
        assertEquals("metadata.labels.tier", v.field());
        assertTrue(v.getMessage().startsWith("metadata.labels.tier: \"-gpu\" is invalid: must be "), v.getMessage());

        Node badAnnotation = manifest("caravanserai/v1", "Node", "n")
                .withMetadata(ObjectMeta.named("n").withAnnotations(Map.of("/note", "x")));
        assertEquals("metadata.annotations", assertThrows(InvalidException.class, badAnnotation::validate).field());

        Node freeText = manifest("caravanserai/v1", "Node", "n")
                .withMetadata(ObjectMeta.named("n").withAnnotations(Map.of("note", "free text: \"quotes\", spaces\nand lines")));
        assertSame(freeText, freeText.validate(), "annotation values are free text");
    }

    @Test
    void theBuilderValidatesAsItGoes() {
        assertEquals("metadata.name", assertThrows(InvalidException.class, () -> Node.builder("Bad_Name")).field());
        assertEquals("metadata.labels", assertThrows(InvalidException.class, () -> Node.builder("n").label("bad key", "v")).field());
        assertEquals("metadata.labels.tier",
                assertThrows(InvalidException.class, () -> Node.builder("n").label("tier", "bad value")).field());
    }
}
