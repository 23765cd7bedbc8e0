package dev.cara.agent;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.internal.Settings;
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

    private AgentSettings settings(Map<String, String> environment, String hostname) {
        return AgentSettings.from(Settings.builder().directory(dir).environment(environment).build(), () -> hostname);
    }

    @Test
    void defaultsNeedNothingButAHostName() {
        AgentSettings s = settings(Map.of(), "Web-01.Example.COM");
        assertEquals(URI.create("http://localhost:8080"), s.serverUrl());
        assertEquals("web-01.example.com", s.nodeName(), "lower-cased host name");
        assertEquals("Web-01.Example.COM", s.hostname(), "spec.hostname keeps the host's own spelling");
        assertEquals(Duration.ofSeconds(30), s.heartbeatInterval());
        assertEquals(9090, s.listenPort());
        assertEquals("0.0.0.0", s.listenAddress());
        assertFalse(s.debug());
        assertTrue(s.labels().isEmpty());
        assertEquals(Quantity.parse("100m"), s.systemReserved().amount("cpu"));
        assertEquals(PressureThreshold.percent(5), s.memoryPressure());
        assertEquals(PressureThreshold.percent(10), s.diskPressure());
        assertEquals(Path.of("/"), s.diskPath());
        assertEquals(Optional.empty(), s.nodeIp());
    }

    @Test
    void connectionsOutliveTheLongestGapBetweenHeartbeats() {
        // The default 30 s interval jitters up to 33 s apart, past the JDK client's 30 s idle close.
        assertEquals(Duration.ofSeconds(43), settings(Map.of(), "h").connectionKeepAlive());
        assertEquals(Duration.ofSeconds(109), settings(Map.of("HEARTBEAT_INTERVAL", "90s"), "h").connectionKeepAlive());
        // A short interval never asks for less than the JDK's own default.
        assertEquals(Duration.ofSeconds(30), settings(Map.of("HEARTBEAT_INTERVAL", "2s"), "h").connectionKeepAlive());
    }

    @Test
    void anOperatorsKeepAliveChoiceWins() {
        String before = System.getProperty(Main.KEEP_ALIVE_PROPERTY);
        try {
            System.setProperty(Main.KEEP_ALIVE_PROPERTY, "7");
            Main.keepConnectionsAlive(Duration.ofSeconds(43));
            assertEquals("7", System.getProperty(Main.KEEP_ALIVE_PROPERTY));
            System.clearProperty(Main.KEEP_ALIVE_PROPERTY);
            Main.keepConnectionsAlive(Duration.ofSeconds(43));
            assertEquals("43", System.getProperty(Main.KEEP_ALIVE_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(Main.KEEP_ALIVE_PROPERTY);
            } else {
                System.setProperty(Main.KEEP_ALIVE_PROPERTY, before);
            }
        }
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
        assertEquals("explicit", settings(Map.of("NODE_NAME", "explicit"), "___").nodeName(), "NODE_NAME makes the host name moot");
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
        AgentSettings s = settings(v, "the-host");
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
        assertEquals("the-host", s.hostname());
    }

    @Test
    void badValuesNameTheSettingItsSourceAndTheRule() {
        assertInvalid("HEARTBEAT_INTERVAL", "30", "HEARTBEAT_INTERVAL (environment): \"30\" is invalid");
        assertInvalid("HEARTBEAT_INTERVAL", "0s", "positive");
        assertInvalid("SERVER_URL", "localhost:8080", "URL");
        assertInvalid("AGENT_LISTEN_PORT", "70000", "TCP port");
        assertInvalid("DEBUG", "maybe", "true or false");
        assertInvalid("NODE_NAME", "Web_1", "DNS subdomain");
        assertInvalid("NODE_LABELS", "zone", "NODE_LABELS (environment): \"zone\" is invalid: must be comma-separated key=value");
        assertInvalid("NODE_LABELS", "zone=bad value", "NODE_LABELS (environment).zone");
        assertInvalid("SYSTEM_RESERVED", "cpu=lots", "SYSTEM_RESERVED (environment).cpu");
        assertInvalid("SYSTEM_RESERVED", "memory=-1Gi", "zero or more");
        assertInvalid("MEMORY_PRESSURE_THRESHOLD", "most", "MEMORY_PRESSURE_THRESHOLD (environment)");
    }

    private void assertInvalid(String key, String value, String expected) {
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
                """);
        Files.writeString(dir.resolve(".env"), """
                # comment
                export NODE_NAME=from-dotenv
                HEARTBEAT_INTERVAL="20s"
                AGENT_LISTEN_PORT=9002
                """);
        Main main = new Main();
        Main.commandLine(main).parseArgs("--heartbeat-interval", "50s", "--label", "zone=a", "-l", "tier=web");
        Settings layered = main.flags(Settings.builder().directory(dir)
                .environment(Map.of("AGENT_LISTEN_PORT", "9003", "HEARTBEAT_INTERVAL", "40s")))
                .build();
        AgentSettings s = AgentSettings.from(layered, () -> "host");
        assertEquals(URI.create("http://from-yaml:1"), s.serverUrl());
        assertEquals("from-dotenv", s.nodeName());
        assertEquals(9003, s.listenPort());
        assertEquals(Duration.ofSeconds(50), s.heartbeatInterval());
        assertEquals(Map.of("zone", "a", "tier", "web"), s.labels());
    }

    @Test
    void theAgentsFlagsReachTheSettings() {
        Main main = new Main();
        Main.commandLine(main).parseArgs("--server", "http://cp:1", "--node-name", "n1", "--listen-port", "0", "--debug",
                "--system-reserved", "cpu=2", "--disk-pressure-threshold", "1Gi", "--node-ip", "10.9.9.9");
        AgentSettings s = AgentSettings.from(main.settings(), () -> "host");
        assertEquals(URI.create("http://cp:1"), s.serverUrl());
        assertEquals("n1", s.nodeName());
        assertEquals(0, s.listenPort());
        assertTrue(s.debug());
        assertEquals(Quantity.of(2), s.systemReserved().amount("cpu"));
        assertEquals(PressureThreshold.bytes(1L << 30), s.diskPressure());
        assertEquals(Optional.of("10.9.9.9"), s.nodeIp());
    }

    @Test
    void projectsRunOnDockerEveryTenSecondsByDefaultAndTheFlagsAndEnvironmentChangeIt() {
        ProjectSettings d = settings(Map.of(), "host").projects();
        assertEquals(new ProjectSettings("docker", Path.of("/var/run/docker.sock"), Duration.ofSeconds(10), Optional.empty()), d);

        ProjectSettings env = settings(Map.of("RUNTIME", "Simulated", "RECONCILE_INTERVAL", "3s", "DOCKER_SOCKET", "/run/d.sock"), "host").projects();
        assertEquals(new ProjectSettings("simulated", Path.of("/run/d.sock"), Duration.ofSeconds(3), Optional.empty()), env);

        Main main = new Main();
        Main.commandLine(main).parseArgs("--node-name", "n1", "--runtime", "simulated", "--docker-socket", "/x.sock",
                "--reconcile-interval", "1m", "--simulated-state", "sim.state");
        ProjectSettings flags = AgentSettings.from(main.settings(), () -> "host").projects();
        assertEquals(new ProjectSettings("simulated", Path.of("/x.sock"), Duration.ofMinutes(1), Optional.of(Path.of("sim.state"))), flags);

        InvalidException bad = assertThrows(InvalidException.class, () -> settings(Map.of("RUNTIME", "podman"), "host"));
        assertTrue(bad.getMessage().contains("RUNTIME") && bad.getMessage().contains("docker, simulated"), bad.getMessage());
        assertThrows(InvalidException.class, () -> settings(Map.of("RECONCILE_INTERVAL", "0s"), "host"));
    }

    /** Defect 11, for the agent: a typo in its config file was silently ignored. */
    @Test
    void aTypoInTheAgentsConfigFileIsNotSilentlyIgnored() throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("agent.yaml"), "server-url: http://cp:1\nheartbeat-intervall: 5s\n");
        Main main = new Main();
        Main.commandLine(main).parseArgs("--config", file.toString());
        InvalidException e = assertThrows(InvalidException.class, main::settings);
        assertEquals(file + ": unknown key \"heartbeat-intervall\"; did you mean \"heartbeat-interval\"?", e.getMessage());
    }

    /** The credential settings (TOKEN_FILE and the others) are known keys of the agent's config file. */
    @Test
    void theCredentialKeysAreAcceptedInTheAgentsConfigFile() throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("agent.yaml"),
                "server-url: https://cp:1\ntoken-file: /etc/cara/bootstrap-token\ncredential-file: /var/lib/cara-agent/credential\n");
        Main main = new Main();
        Main.commandLine(main).parseArgs("--config", file.toString());
        assertEquals(Path.of("/etc/cara/bootstrap-token"), AgentCredentials.from(main.settings()).tokenFile().orElseThrow());
    }
}
