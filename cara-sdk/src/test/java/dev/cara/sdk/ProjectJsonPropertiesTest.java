package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.cara.sdk.CaraJsonPropertiesTest.conditions;
import static dev.cara.sdk.CaraJsonPropertiesTest.instants;
import static dev.cara.sdk.CaraJsonPropertiesTest.optionalText;
import static dev.cara.sdk.CaraJsonPropertiesTest.resources;
import static dev.cara.sdk.CaraJsonPropertiesTest.text;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.maps;

/** Random projects, any Unicode text included, survive the wire and storage formats unchanged (issue 16). */
class ProjectJsonPropertiesTest {
    private static final int TRIES = 300;

    /** A name the writer keeps: it leaves out empty strings, which read back as absent. */
    private static Gen<String> names() {
        return text().map(t -> "n" + t);
    }

    private static Gen<String> optionalNames() {
        return names().mix(arbitrary().constant((String) null), 20);
    }

    private static Gen<ServiceSpec> services() {
        Gen<List<EnvVar>> env = lists().of(optionalNames().zip(text(), EnvVar::new)).ofSizeBetween(0, 3);
        Gen<List<VolumeMount>> mounts = lists().of(optionalNames().zip(optionalNames(), VolumeMount::new)).ofSizeBetween(0, 2);
        return optionalNames().zip(optionalNames(), env, mounts, ServiceSpec::new);
    }

    private static Gen<IngressSpec> ingress() {
        Gen<IngressSpec.Target> targets = optionalNames().zip(integers().between(1, 65_535), IngressSpec.Target::new)
                .mix(arbitrary().constant((IngressSpec.Target) null), 15);
        return optionalNames().zip(optionalText(), targets, (name, host, target) -> new IngressSpec(name, host, target, null));
    }

    private static Gen<ProjectSpec> specs() {
        Gen<List<VolumeSpec>> volumes = lists().of(optionalNames().map(VolumeSpec::ephemeral)).ofSizeBetween(0, 2);
        return lists().of(services()).ofSizeBetween(0, 3).zip(volumes, lists().of(ingress()).ofSizeBetween(0, 2), instants(),
                (services, vols, routes, expireAt) -> new ProjectSpec(services, vols, routes, expireAt, null, null))
                .zip(resources(), maps().of(names(), text()).ofSizeBetween(0, 3),
                        (spec, requests, selector) -> new ProjectSpec(spec.services(), spec.volumes(), spec.ingress(),
                                spec.expireAt(), new ResourceRequirements(requests), selector));
    }

    private static Gen<ObjectMeta> metadata() {
        return names().zip(maps().of(names(), text()).ofSizeBetween(0, 3), maps().of(names(), text()).ofSizeBetween(0, 2),
                instants(), (name, labels, annotations, created) -> new ObjectMeta(name, labels, annotations, created, null, null))
                .zip(instants(), optionalNames(), (m, updated, rv) ->
                        new ObjectMeta(m.name(), m.labels(), m.annotations(), m.createdAt(), updated, rv));
    }

    private static Gen<Project> projects() {
        Gen<ProjectStatus> statuses = arbitrary().enumValues(ProjectPhase.class).zip(optionalNames(),
                lists().of(conditions()).ofSizeBetween(0, 3), ProjectStatus::new);
        return metadata().zip(specs(), statuses, Project::new);
    }

    @Test
    void projectsRoundTripThroughTheWireAndStorage() {
        qt().withExamples(TRIES).forAll(projects()).check(p -> {
            String json = CaraJson.toJson(p);
            return p.equals(CaraJson.parseProject(json)) && p.equals(ProjectStorageCodec.decode(ProjectStorageCodec.encode(p)))
                    && p.withStatus(ProjectStatus.INITIAL).equals(
                            CaraJson.parseProjectManifest(json.getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void projectListsAndStatusReportsRoundTrip() {
        qt().withExamples(TRIES / 3).forAll(lists().of(projects()).ofSizeBetween(0, 3)).check(items ->
                ProjectList.of(items).equals(CaraJson.parseProjectList(CaraJson.toJson(ProjectList.of(items)))));
        qt().withExamples(TRIES).forAll(arbitrary().enumValues(ProjectPhase.class), optionalText(), optionalText())
                .check((phase, reason, message) -> {
                    ProjectStatusReport r = new ProjectStatusReport(phase, reason, message);
                    return r.equals(CaraJson.parseProjectStatusReport(CaraJson.toJson(r)));
                });
    }
}
