package dev.cara.server;

import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.FlapDamping;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's event retention and flap damping settings: defaults, config.yaml nesting, environment, errors. */
class EventSettingsTest {
    @TempDir
    Path dir;

    private ServerSettings.EventSettings read(Map<String, String> env) {
        return ServerSettings.EventSettings.from(Settings.builder().directory(dir).environment(env)
                .knownKeys(ServerSettings.KEYS).build());
    }

    @Test
    void theServerDampsFlappingByDefaultAndKeepsEventsAnHour() {
        ServerSettings.EventSettings s = read(Map.of());
        assertEquals(FlapDamping.recommended(), s.flapDamping());
        assertTrue(s.flapDamping().enabled());
        assertEquals(EventPolicy.defaults(), s.retention());
    }

    @Test
    void configYamlNestsTheKeysAndTheEnvironmentWins() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), """
                events:
                  maxAge: 30m
                  maxCount: 5000
                flapDamping:
                  maxFlaps: 3
                  window: 5m
                  holdOff: 2m
                """);
        ServerSettings.EventSettings s = read(Map.of("FLAP_DAMPING_HOLD_OFF", "90s"));
        assertEquals(Duration.ofMinutes(30), s.retention().maxAge());
        assertEquals(5000, s.retention().maxCount());
        assertEquals(FlapDamping.builder().maxFlaps(3).window(Duration.ofMinutes(5)).holdOff(Duration.ofSeconds(90)).build(),
                s.flapDamping());
    }

    @Test
    void dampingCanBeTurnedOff() {
        assertFalse(read(Map.of("FLAP_DAMPING_ENABLED", "false")).flapDamping().enabled());
    }

    @Test
    void aBadValueNamesTheKeyAndWhatIsAllowed() {
        InvalidException zero = assertThrows(InvalidException.class, () -> read(Map.of("EVENTS_MAX_AGE", "0s")));
        assertTrue(zero.getMessage().contains("EVENTS_MAX_AGE") && zero.getMessage().contains("positive duration"), zero.getMessage());
        InvalidException count = assertThrows(InvalidException.class, () -> read(Map.of("EVENTS_MAX_COUNT", "-1")));
        assertTrue(count.getMessage().contains("EVENTS_MAX_COUNT"), count.getMessage());
        InvalidException flaps = assertThrows(InvalidException.class, () -> read(Map.of("FLAP_DAMPING_MAX_FLAPS", "0")));
        assertTrue(flaps.getMessage().contains("FLAP_DAMPING_MAX_FLAPS"), flaps.getMessage());
    }
}
