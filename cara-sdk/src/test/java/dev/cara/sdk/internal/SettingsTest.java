package dev.cara.sdk.internal;

import dev.cara.sdk.InvalidException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @TempDir
    Path dir;

    private Settings.Builder builder() {
        return Settings.builder().directory(dir).environment(Map.of());
    }

    @Test
    void laterSourcesWin_configThenDotenvThenEnvironmentThenFlags() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), """
                host: 10.0.0.1
                port: 1000
                heartbeatTimeout: 10s
                debug: yes
                store: "memory:"
                """);
        Files.writeString(dir.resolve(".env"), """
                # comment
                export PORT=2000
                HEARTBEAT_TIMEOUT="20s"
                """);
        Settings s = builder().alias("STORE", "DATABASE_URL")
                .environment(Map.of("HEARTBEAT_TIMEOUT", "30s", "HOST", "10.0.0.3"))
                .flag("HOST", "--host", "127.0.0.1")
                .flag("PORT", "--port", null)
                .build();
        assertEquals("127.0.0.1", s.string("HOST", "0.0.0.0"));
        assertEquals(2000, s.port("PORT", 8080));
        assertEquals(Duration.ofSeconds(30), s.duration("HEARTBEAT_TIMEOUT", Duration.ofSeconds(90)));
        assertTrue(s.bool("DEBUG", false));
        assertEquals("memory:", s.string("DATABASE_URL", "mapdb:x"));
        assertEquals("--host (flag)", s.origin("HOST").orElseThrow());
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Settings s = builder().build();
        assertFalse(s.isSet("PORT"));
        assertEquals(8080, s.port("PORT", 8080));
        assertEquals(Duration.ofSeconds(90), s.duration("HEARTBEAT_TIMEOUT", Duration.ofSeconds(90)));
        assertEquals(URI.create("http://localhost:8080"), s.url("SERVER_URL", URI.create("http://localhost:8080")));
        assertFalse(s.bool("DEBUG", false));
    }

    @Test
    void durationsAcceptTheDocumentedSpellings() {
        Settings s = builder().environment(Map.of("A", "30s", "B", "1m", "C", "2m30s")).build();
        assertEquals(Duration.ofSeconds(30), s.duration("A", Duration.ZERO));
        assertEquals(Duration.ofMinutes(1), s.duration("B", Duration.ZERO));
        assertEquals(Duration.ofSeconds(150), s.duration("C", Duration.ZERO));
    }

    @Test
    void aBadValueNamesTheKeyItsSourceTheValueAndWhatIsAllowed() {
        Settings s = builder().environment(Map.of("PORT", "80a", "HEARTBEAT_TIMEOUT", "90", "DEBUG", "maybe",
                "SERVER_URL", "ftp://x")).flag("AGENT_LISTEN_PORT", "--listen-port", "70000").build();
        InvalidException port = assertThrows(InvalidException.class, () -> s.port("PORT", 8080));
        assertEquals("PORT (environment): \"80a\" is invalid: must be a TCP port from 1 to 65535", port.getMessage());
        InvalidException flag = assertThrows(InvalidException.class, () -> s.port("AGENT_LISTEN_PORT", 9090));
        assertTrue(flag.getMessage().startsWith("--listen-port (flag): \"70000\""), flag.getMessage());
        InvalidException timeout = assertThrows(InvalidException.class, () -> s.duration("HEARTBEAT_TIMEOUT", Duration.ZERO));
        assertTrue(timeout.getMessage().contains("HEARTBEAT_TIMEOUT (environment): \"90\""), timeout.getMessage());
        assertTrue(timeout.getMessage().contains("30s"), timeout.getMessage());
        InvalidException debug = assertThrows(InvalidException.class, () -> s.bool("DEBUG", false));
        assertTrue(debug.getMessage().contains("true or false"), debug.getMessage());
        InvalidException url = assertThrows(InvalidException.class, () -> s.url("SERVER_URL", null));
        assertTrue(url.getMessage().contains("\"ftp://x\""), url.getMessage());
    }

    @Test
    void zeroDurationIsRefused() {
        Settings s = builder().environment(Map.of("HEARTBEAT_TIMEOUT", "0s")).build();
        assertThrows(InvalidException.class, () -> s.duration("HEARTBEAT_TIMEOUT", Duration.ofSeconds(1)));
    }

    @Test
    void errorsFromTheConfigFileNameTheFile() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "heartbeat-timeout: soon\n");
        Settings s = builder().build();
        InvalidException e = assertThrows(InvalidException.class, () -> s.duration("HEARTBEAT_TIMEOUT", Duration.ZERO));
        assertTrue(e.getMessage().startsWith("heartbeat-timeout (" + dir.resolve("config.yaml") + "): \"soon\""), e.getMessage());
    }

    @Test
    void anExplicitConfigFileReplacesConfigYamlAndMustExist() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "port: 1\n");
        Path other = Files.writeString(dir.resolve("other.yaml"), "port: 2\nserver:\n  url: http://h:1\n");
        Settings s = builder().configFile(other).build();
        assertEquals(2, s.port("PORT", 8080));
        assertEquals(URI.create("http://h:1"), s.url("SERVER_URL", null));
        InvalidException missing = assertThrows(InvalidException.class,
                () -> builder().configFile(dir.resolve("nope.yaml")).build());
        assertTrue(missing.getMessage().contains("nope.yaml"), missing.getMessage());
    }

    @Test
    void malformedFilesAreReportedWithTheirNames() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "port: [1, 2\n");
        InvalidException yaml = assertThrows(InvalidException.class, () -> builder().build());
        assertTrue(yaml.getMessage().contains("config.yaml"), yaml.getMessage());
        Files.delete(dir.resolve("config.yaml"));
        Files.writeString(dir.resolve(".env"), "PORT=1\nthis is not a setting\n");
        InvalidException env = assertThrows(InvalidException.class, () -> builder().build());
        assertTrue(env.getMessage().contains(".env line 2"), env.getMessage());
    }

    @Test
    void keysAreComparedInOneSpelling() {
        assertEquals("HEARTBEAT_TIMEOUT", Settings.canonical("heartbeatTimeout"));
        assertEquals("HEARTBEAT_TIMEOUT", Settings.canonical("--heartbeat-timeout"));
        assertEquals("HEARTBEAT_TIMEOUT", Settings.canonical("heartbeat.timeout"));
        assertEquals("DATABASE_URL", Settings.canonical("DATABASE_URL"));
    }

    @Test
    void oneOfReturnsTheAllowedSpelling() {
        Settings s = builder().environment(Map.of("OUTPUT", "JSON", "BAD", "xml")).build();
        assertEquals("json", s.oneOf("OUTPUT", "table", List.of("table", "json", "yaml")));
        InvalidException e = assertThrows(InvalidException.class, () -> s.oneOf("BAD", "table", List.of("table", "json")));
        assertTrue(e.getMessage().endsWith("must be one of table, json"), e.getMessage());
    }

    @Test
    void dotenvQuotesAndInlineComments() {
        Map<String, String> m = Settings.parseDotenv(".env", List.of("A='x # y'", "B=plain # note", "C=\"\""));
        assertEquals("x # y", m.get("A"));
        assertEquals("plain", m.get("B"));
        assertEquals("", m.get("C"));
    }

    private static final List<String> SERVER_KEYS = List.of("HOST", "PORT", "DATABASE_URL", "HEARTBEAT_TIMEOUT", "DEBUG");

    /** Defect 11: a typo in config.yaml was silently ignored, and the server ran on the default. */
    @Test
    void aTypoInConfigYamlIsNotSilentlyIgnored() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "port: 8081\nheartbeat-timout: 10s\n");
        InvalidException e = assertThrows(InvalidException.class, () -> builder().knownKeys(SERVER_KEYS).build());
        assertEquals(dir.resolve("config.yaml") + ": unknown key \"heartbeat-timout\"; did you mean \"heartbeat-timeout\"?",
                e.getMessage());
    }

    @Test
    void aTypoInDotenvIsAnErrorSpeltTheWayTheUserSpellsKeys() throws IOException {
        Files.writeString(dir.resolve(".env"), "PORT=1\nHEARTBEAT_TIMOUT=10s\n");
        InvalidException e = assertThrows(InvalidException.class, () -> builder().knownKeys(SERVER_KEYS).build());
        assertEquals(dir.resolve(".env") + ": unknown key \"HEARTBEAT_TIMOUT\"; did you mean \"HEARTBEAT_TIMEOUT\"?", e.getMessage());

        Files.delete(dir.resolve(".env"));
        Files.writeString(dir.resolve("config.yaml"), "heartbeatTimout: 10s\n");
        e = assertThrows(InvalidException.class, () -> builder().knownKeys(SERVER_KEYS).build());
        assertTrue(e.getMessage().endsWith("did you mean \"heartbeatTimeout\"?"), e.getMessage());
    }

    @Test
    void aKeyFarFromEveryKnownOneListsTheKnownKeys() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "colour: blue\nlisten:\n  address: x\n");
        InvalidException e = assertThrows(InvalidException.class, () -> builder().knownKeys(SERVER_KEYS).build());
        assertEquals(dir.resolve("config.yaml") + ": unknown key \"colour\"; the known keys are database_url, debug,"
                + " heartbeat_timeout, host, port; unknown key \"listen_address\"; the known keys are database_url, debug,"
                + " heartbeat_timeout, host, port", e.getMessage());
    }

    @Test
    void aliasesAreKnownAndTheEnvironmentIsNeverChecked() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "store: \"memory:\"\nHeartbeat-Timeout: 5s\n");
        Settings s = builder().knownKeys(SERVER_KEYS).alias("STORE", "DATABASE_URL")
                .environment(Map.of("PATH", "/bin", "HEARTBEAT_TIMOUT", "1s")).build();
        assertEquals("memory:", s.string("DATABASE_URL", null));
        assertEquals(Duration.ofSeconds(5), s.duration("HEARTBEAT_TIMEOUT", Duration.ZERO));
    }

    @Test
    void withoutKnownKeysNothingIsChecked() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "whatever: 1\n");
        assertEquals("1", builder().build().string("WHATEVER", null));
    }

    @Test
    void theNearestKeyIsFoundByEditDistance() {
        assertEquals(1, UnknownKeys.distance("HEARTBEAT_TIMOUT", "HEARTBEAT_TIMEOUT"));
        assertEquals(2, UnknownKeys.distance("PROT", "PORT"));
        assertEquals("PORT", UnknownKeys.nearest("PROT", java.util.Set.copyOf(SERVER_KEYS)));
        assertEquals(null, UnknownKeys.nearest("COLOUR", java.util.Set.copyOf(SERVER_KEYS)));
        assertEquals("heartbeat-timeout", UnknownKeys.spellLike("heartbeat-timout", "HEARTBEAT_TIMEOUT"));
        assertEquals("databaseUrl", UnknownKeys.spellLike("dataBaseUrl", "DATABASE_URL"));
        assertEquals("port", UnknownKeys.spellLike("prot", "PORT"));
    }
}
