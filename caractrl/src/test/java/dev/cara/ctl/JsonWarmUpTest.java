package dev.cara.ctl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWarmUpTest {
    @Test
    void commandsThatReadTheServersJsonWarmItUp() {
        assertTrue(JsonWarmUp.readsJson(new String[] {"get", "nodes"}));
        assertTrue(JsonWarmUp.readsJson(new String[] {"--server", "http://x", "get", "nodes", "-o", "json"}));
        assertTrue(JsonWarmUp.readsJson(new String[] {"describe", "node", "n1"}));
        assertTrue(JsonWarmUp.readsJson(new String[] {"cordon", "n1"}));
        assertTrue(JsonWarmUp.readsJson(new String[] {"apply", "-f", "x.yaml"}));
        // A name after "--" is a value, not a request for help.
        assertTrue(JsonWarmUp.readsJson(new String[] {"delete", "node", "--", "--help"}));
    }

    @Test
    void helpCompletionConfigAndUnknownCommandsDoNot() {
        assertFalse(JsonWarmUp.readsJson(new String[] {}));
        assertFalse(JsonWarmUp.readsJson(new String[] {"--help"}));
        assertFalse(JsonWarmUp.readsJson(new String[] {"get", "nodes", "--help"}));
        assertFalse(JsonWarmUp.readsJson(new String[] {"get", "-h"}));
        assertFalse(JsonWarmUp.readsJson(new String[] {"completion", "bash"}));
        assertFalse(JsonWarmUp.readsJson(new String[] {"config", "get-contexts"}));
        assertFalse(JsonWarmUp.readsJson(new String[] {"gte", "nodes"}));
    }
}
