package dev.cara.store.jdbc;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.testkit.ProjectFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.cara.sdk.testkit.ProjectFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/** The project codec gives back every field it was given (the resourceVersion from its column). */
class ProjectCodecTest {

    private static Project roundTrip(Project p, long resourceVersion) {
        return ProjectCodec.decode(ProjectCodec.metaJson(p), ProjectCodec.statusJson(p.status()), resourceVersion);
    }

    @Test
    void theKitsFullProjectRoundTripsInEveryPhase() {
        for (ProjectPhase phase : ProjectPhase.values()) {
            Project p = ProjectFixtures.project("web").withStatus(status(phase, phase == ProjectPhase.PENDING ? null : "w1", 3));
            Project expected = p.withMetadata(p.metadata().withResourceVersion("42"));
            assertEquals(expected, roundTrip(p, 42), phase.name());
        }
    }

    @Test
    void absentPartsStayAbsent() {
        Project bare = new Project(new ObjectMeta("bare", Map.of(), Map.of(), null, null, "ignored"),
                new ProjectSpec(List.of(), List.of(), List.of(new IngressSpec("r", null, new IngressSpec.Target("web", 80), null)),
                        null, null, Map.of()), ProjectStatus.INITIAL);
        assertEquals(bare.withMetadata(bare.metadata().withResourceVersion("7")), roundTrip(bare, 7));
    }

    @Test
    void anyTextLabelsConditionsAndTimesRoundTrip() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 20), strings().allPossible().ofLengthBetween(0, 20),
                        arbitrary().enumValues(ProjectPhase.class), longs().between(-30_000_000_000L, 30_000_000_000L))
                .checkAssert((text, other, phase, seconds) -> {
                    boolean bound = seconds % 2 == 0;
                    Instant at = Instant.ofEpochSecond(seconds, Math.floorMod(seconds, 1_000_000_000L));
                    ProjectStatus s = new ProjectStatus(phase, bound ? "node-" + Math.abs(seconds % 9) : null, List.of(
                            new Condition("Phase", ConditionStatus.TRUE, text, other, at, at.plusNanos(1)),
                            new Condition("Other", ConditionStatus.UNKNOWN, null, text, null, null)));
                    Project base = ProjectFixtures.project("p");
                    Project p = new Project(new ObjectMeta("p", Map.of("k", text), Map.of("a" + other, text, "q\"", other), at, null, null),
                            base.spec(), s);
                    assertEquals(p.withMetadata(p.metadata().withResourceVersion("1")), roundTrip(p, 1));
                });
    }
}
