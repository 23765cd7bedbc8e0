package dev.cara.agent.spi;

import dev.cara.sdk.Project;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedRuntimeTest {
    private final FakeTime time = new FakeTime();

    private static Project project(String name, String image) {
        return Project.builder(name).volume("data")
                .service(ServiceSpec.builder("web").image(image).volumeMount("data", "/d").build()).build();
    }

    @Test
    void serviceStartsAfterTheDelayOnTheInjectedTicker() {
        SimulatedRuntime r = SimulatedRuntime.builder(time).startDelay(Duration.ofSeconds(2)).build();
        r.start(project("a", "nginx"));

        assertEquals(ServiceState.STARTING, r.health("a").orElseThrow().services().getFirst().state());
        time.advance(Duration.ofSeconds(2));
        assertEquals(ServiceState.RUNNING, r.health("a").orElseThrow().services().getFirst().state());
        r.start(project("a", "nginx"));
        assertEquals(List.of("cara-a-web"), r.containers());
        assertEquals(List.of("cara-a-data"), r.volumes());
    }

    @Test
    void withAStateFileTheContainersOutliveTheRuntimeAsRunningOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("sim.state");
        SimulatedRuntime first = SimulatedRuntime.builder(time).startDelay(Duration.ofSeconds(2)).stateFile(file).build();
        first.start(project("a", "nginx"));
        first.start(project("b", "redis"));
        first.tearDown("b");

        SimulatedRuntime again = SimulatedRuntime.builder(time).startDelay(Duration.ofSeconds(2)).stateFile(file).build();
        assertEquals(List.of("cara-a-web"), again.containers());
        assertEquals(List.of("cara-a-data"), again.volumes());
        assertEquals(ServiceState.RUNNING, again.health("a").orElseThrow().services().getFirst().state(),
                "what was kept counts as started long ago");
        again.tearDown("a");
        assertEquals(List.of(), SimulatedRuntime.builder(time).stateFile(file).build().containers());
    }

    @Test
    void anUnreadableStateFileIsRefusedNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("sim.state"), "nonsense\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatedRuntime.builder(time).stateFile(file).build());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("remove the file"), e.getMessage());
    }

    @Test
    void failImageFailsToStartNamingServiceAndImage() {
        SimulatedRuntime r = SimulatedRuntime.builder(time).build();
        StartFailedException e = assertThrows(StartFailedException.class, () -> r.start(project("a", "fail:x")));
        assertEquals("web", e.service());
        assertEquals("StartFailed", e.reason());
        assertTrue(e.getMessage().contains("fail:x"), e.getMessage());
    }

    @Test
    void tearDownOfOneProjectKeepsAnotherWhoseNameItPrefixes() {
        SimulatedRuntime r = SimulatedRuntime.builder(time).build();
        r.start(project("a", "nginx"));
        r.start(project("a-b", "nginx"));

        r.tearDown("a");
        r.tearDown("a");

        assertEquals(List.of("cara-a-b-data"), r.volumes());
        assertEquals(List.of("a-b"), r.list().stream().map(ProjectHealth::project).toList());
    }

    @Test
    void failureRateIsSeededSoARunRepeats() {
        List<Boolean> first = starts(SimulatedRuntime.builder(time).failureRate(0.5).seed(7).build());
        List<Boolean> second = starts(SimulatedRuntime.builder(time).failureRate(0.5).seed(7).build());
        assertEquals(first, second);
        assertTrue(first.contains(true) && first.contains(false), first.toString());
    }

    @Test
    void unavailableRuntimeThrowsOnEveryCall() {
        SimulatedRuntime r = SimulatedRuntime.builder(time).build();
        r.unavailable(true);
        assertThrows(RuntimeUnavailableException.class, r::list);
        assertThrows(RuntimeUnavailableException.class, () -> r.tearDown("a"));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        var e = assertThrows(IllegalArgumentException.class, () -> SimulatedRuntime.builder(time).failureRate(1.5));
        assertTrue(e.getMessage().contains("failureRate"), e.getMessage());
    }

    private List<Boolean> starts(SimulatedRuntime r) {
        List<Boolean> out = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try {
                r.start(project("p" + i, "nginx"));
                out.add(true);
            } catch (StartFailedException e) {
                out.add(false);
            }
        }
        return out;
    }
}
