package dev.cara.agent;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentSettingsTest {
    @TempDir
    Path dir;

    private static AgentSettings settings(Map<String, String> values, String hostname) {
        return AgentSettings.from(k -> Optional.ofNullable(values.get(k)), () -> hostname);
    }

    @Test
    void defaultsNeedNothingButAHostName() {
        AgentSettings s = settings(Map.of(), "Web-01.Example.COM");
        assertEquals(URI.create("http://localhost:8080"), s.serverUrl());
        assertEquals("web-01.example.com", s.nodeName(), "lower-cased host name");
        assertEquals("Web-01.Example.COM", s.hostname(), "spec.hostname keeps the host's own spelling");
        assertEquals(Duration.ofSeconds(30), s.heartbeatInterval());
        assertEquals(9090, s.listenPort());
        assertFalse(s.debug());
        assertTrue(s.labels().isEmpty());
        assertEquals(Quantity.parse("100m"), s.systemReserved().amount("cpu"));
        assertEquals(PressureThreshold.percent(5), s.memoryPressure());
        assertEquals(PressureThreshold.percent(10), s.diskPressure());
        assertEquals(Path.of("/"), s.diskPath());
        assertEquals(Optional.empty(), s.nodeIp());
    }

    @Test
    void aHostNameIsMadeIntoAValidName() {
        assertEquals("my-laptop-local", settings(Map.of(), "My_Laptop (local)").nodeName());
    }

    @Test
    void aHostNameThatCannotBeANameAsksForNodeName() {
        AgentException e = assertThrows(AgentException.class, () -> settings(Map.of(), "___"));
        assertTrue(e.getMessage().contains("set NODE_NAME"), e.getMessage());
        assertTrue(e.getMessage().contains("\"___\""), e.getMessage());
        AgentException none = assertThrows(AgentException.class, () -> settings(Map.of(), null));
        assertTrue(none.getMessage().contains("set NODE_NAME"), none.getMessage());
    }

    @Test
    void everySettingCanBeGiven() {
        Map<String, String> v = new HashMap<>();
        v.put("SERVER_URL", "https://cara.example:8443");
        v.put("NODE_NAME", "gpu-7");
        v.put("HEARTBEAT_INTERVAL", "1m30s");
        v.put("AGENT_LISTEN_PORT", "9191");
        v.put("AGENT_LISTEN_ADDRESS", "127.0.0.1");
        v.put("DEBUG", "yes");
        v.put("NODE_LABELS", "zone=eu-1, cara.dev/tier=gpu");
        v.put("SYSTEM_RESERVED", "cpu=1,memory=2Gi");
        v.put("MEMORY_PRESSURE_THRESHOLD", "500Mi");
        v.put("DISK_PRESSURE_THRESHOLD", "15%");
        v.put("DISK_PATH", "/var/lib");
        v.put("NODE_IP", "10.1.2.3");
        AgentSettings s = settings(v, "ignored");
        assertEquals(URI.create("https://cara.example:8443"), s.serverUrl());
        assertEquals("gpu-7", s.nodeName());
        assertEquals(Duration.ofSeconds(90), s.heartbeatInterval());
        assertEquals(9191, s.listenPort());
        assertEquals("127.0.0.1", s.listenAddress());
        assertTrue(s.debug());
        assertEquals(Map.of("zone", "eu-1", "cara.dev/tier", "gpu"), s.labels());
        assertEquals(Quantity.parse("2Gi"), s.systemReserved().amount("memory"));
        assertEquals(PressureThreshold.bytes(500L << 20), s.memoryPressure());
        assertEquals(PressureThreshold.percent(15), s.diskPressure());
        assertEquals(Path.of("/var/lib"), s.diskPath());
        assertEquals(Optional.of("10.1.2.3"), s.nodeIp());
        assertEquals("ignored", s.hostname());
    }

    @Test
    void badValuesNameTheSettingAndTheRule() {
        assertInvalid("HEARTBEAT_INTERVAL", "30", "HEARTBEAT_INTERVAL: \"30\" is invalid");
        assertInvalid("HEARTBEAT_INTERVAL", "0s", "positive");
        assertInvalid("SERVER_URL", "localhost:8080", "http or https URL");
        assertInvalid("AGENT_LISTEN_PORT", "70000", "TCP port");
        assertInvalid("DEBUG", "maybe", "true or false");
        assertInvalid("NODE_NAME", "Web_1", "DNS subdomain");
        assertInvalid("NODE_LABELS", "zone", "key=value");
        assertInvalid("NODE_LABELS", "zone=bad value", "NODE_LABELS.zone");
        assertInvalid("SYSTEM_RESERVED", "cpu=lots", "SYSTEM_RESERVED.cpu");
        assertInvalid("SYSTEM_RESERVED", "memory=-1Gi", "zero or more");
    }

    private static void assertInvalid(String key, String value, String expected) {
        InvalidException e = assertThrows(InvalidException.class, () -> settings(Map.of(key, value), "host"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void laterLayersWinConfigYamlThenDotEnvThenEnvironmentThenFlags() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), """
                serverUrl: http://from-yaml:1
                node-name: from-yaml
                HEARTBEAT_INTERVAL: 10s
                AGENT_LISTEN_PORT: 9001
                NODE_LABELS:
                  zone: a
                  tier: web
                """);
        Files.writeString(dir.resolve(".env"), """
                # comment
                export NODE_NAME=from-dotenv
                HEARTBEAT_INTERVAL="20s"
                AGENT_LISTEN_PORT=9002
                """);
        SettingsLayers layers = SettingsLayers.load(dir,
                Map.of("AGENT_LISTEN_PORT", "9003", "HEARTBEAT_INTERVAL", "40s", "PATH", "/usr/bin"),
                Map.of("HEARTBEAT_INTERVAL", "50s"));
        AgentSettings s = AgentSettings.from(layers::get, () -> "host");
        assertEquals(URI.create("http://from-yaml:1"), s.serverUrl());
        assertEquals("from-dotenv", s.nodeName());
        assertEquals(9003, s.listenPort());
        assertEquals(Duration.ofSeconds(50), s.heartbeatInterval());
        assertEquals(Map.of("zone", "a", "tier", "web"), s.labels());
    }

    @Test
    void missingFilesAreFineAndBrokenOnesAreNamed() throws IOException {
        assertEquals(Optional.empty(), SettingsLayers.load(dir, Map.of(), Map.of()).get("SERVER_URL"));
        Files.writeString(dir.resolve("config.yaml"), "- a list\n- not a map\n");
        InvalidException e = assertThrows(InvalidException.class, () -> SettingsLayers.load(dir, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("config.yaml"), e.getMessage());
        Files.delete(dir.resolve("config.yaml"));
        Files.writeString(dir.resolve(".env"), "JUSTAWORD\n");
        InvalidException env = assertThrows(InvalidException.class, () -> SettingsLayers.load(dir, Map.of(), Map.of()));
        assertTrue(env.getMessage().contains(".env line 1"), env.getMessage());
    }

    @Test
    void keysAreNormalisedTheSameWayEverywhere() {
        assertEquals("SERVER_URL", SettingsLayers.normalise("serverUrl"));
        assertEquals("SERVER_URL", SettingsLayers.normalise("server-url"));
        assertEquals("SERVER_URL", SettingsLayers.normalise("server.url"));
        assertEquals("AGENT_LISTEN_PORT", SettingsLayers.normalise("AGENT_LISTEN_PORT"));
    }
}
