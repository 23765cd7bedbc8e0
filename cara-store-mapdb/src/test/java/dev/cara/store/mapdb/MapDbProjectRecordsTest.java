package dev.cara.store.mapdb;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.EnvVar;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ResourceRequirements;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.VolumeMount;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static dev.cara.sdk.testkit.ProjectFixtures.spec;
import static dev.cara.sdk.testkit.ProjectFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/** The compact project record loses nothing: every field, null or not, reads back as written. */
class MapDbProjectRecordsTest {

    private static void assertRoundTrip(Project project) {
        assertEquals(project, ProjectRecords.read(ProjectRecords.write(project)));
    }

    @Test
    void aBareProjectRoundTrips() {
        assertRoundTrip(new Project(ObjectMeta.named("bare"), new ProjectSpec(null, null, null, null, null, null), null));
    }

    @Test
    void aFullProjectInEveryPhaseRoundTrips() {
        for (ProjectPhase phase : ProjectPhase.values()) {
            Project p = project("web").withMetadata(project("web").metadata().withResourceVersion("42"))
                    .withStatus(status(phase, phase.holdsNode() ? "worker-7" : null, phase.ordinal()));
            assertRoundTrip(p);
        }
    }

    @Test
    void nullsEmptiesAndUnicodeRoundTrip() {
        Instant t = Instant.parse("1969-12-31T23:59:59.999999999Z"); // before the epoch: negative seconds
        ServiceSpec odd = new ServiceSpec("svc", "registry.example.com/ünï:1", List.of(new EnvVar("E", "✓ " + "x".repeat(70_000))),
                List.of(new VolumeMount("v", "/v")));
        IngressSpec noTarget = new IngressSpec("r", null, null, null);
        IngressSpec negativePort = new IngressSpec("s", "h", new IngressSpec.Target("svc", -1), IngressSpec.Access.INTERNAL);
        ProjectSpec spec = new ProjectSpec(List.of(odd), List.of(), List.of(noTarget, negativePort), t,
                ResourceRequirements.requests(Map.of("cpu", "1.5", "memory", "512Mi")), Map.of("a", "", "b", "c"));
        ProjectStatus status = new ProjectStatus(ProjectPhase.FAILED, null, List.of(
                new Condition("Phase", ConditionStatus.UNKNOWN, null, null, null, null)));
        assertRoundTrip(new Project(new ObjectMeta("p", Map.of(), Map.of("n", "ü"), t, null, null), spec, status));
    }

    @Test
    void anyNameTimeAndPortRoundTrip() {
        qt().withExamples(500)
                .forAll(strings().allPossible().ofLengthBetween(1, 40), longs().between(-62_135_596_800L, 253_402_300_799L),
                        integers().between(0, 999_999_999), integers().all())
                .checkAssert((text, seconds, nanos, port) -> {
                    String clean = text.codePoints().filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)
                            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
                    Instant t = Instant.ofEpochSecond(seconds, nanos);
                    ProjectSpec s = spec(clean.isEmpty() ? "x" : clean);
                    ProjectSpec withPort = new ProjectSpec(s.services(), s.volumes(),
                            List.of(new IngressSpec("r", clean, new IngressSpec.Target(clean, port), null)), t, s.resources(), s.nodeSelector());
                    assertRoundTrip(new Project(new ObjectMeta("p", Map.of("k", clean), Map.of(), t, t, clean), withPort,
                            new ProjectStatus(ProjectPhase.RUNNING, clean, List.of())));
                });
    }

    @Test
    void anUnknownVersionOrDamagedBytesAreRefusedNotMisread() {
        byte[] record = ProjectRecords.write(project("web"));
        byte[] newer = record.clone();
        newer[0] = (byte) (ProjectRecords.RECORD_VERSION + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectRecords.read(newer));
        assertTrue(e.getMessage().contains("version " + (ProjectRecords.RECORD_VERSION + 1)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProjectRecords.read(Arrays.copyOf(record, record.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ProjectRecords.read(Arrays.copyOf(record, record.length + 1)));
    }
}
