package dev.cara.sdk;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.cara.sdk.CaraJsonTest.minify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caravanserai/v1 Project resource (issue 16), checked on literal JSON documents. */
class ProjectJsonTest {

    /** A full project, in the order and the canonical forms that {@link CaraJson#toJson(Project)} uses. */
    static final String FULL_PROJECT = """
            {
              "apiVersion": "caravanserai/v1",
              "kind": "Project",
              "metadata": {
                "name": "shop",
                "labels": {"team": "web", "tier": "front"},
                "annotations": {"note": "black friday"},
                "createdAt": "2026-01-02T15:04:05Z",
                "updatedAt": "2026-01-02T15:05:00.250Z",
                "resourceVersion": "12"
              },
              "spec": {
                "services": [
                  {"name": "web", "image": "nginx:alpine",
                   "env": [{"name": "MODE", "value": "prod"}, {"name": "EMPTY", "value": ""}],
                   "volumeMounts": [{"name": "cache", "mountPath": "/var/cache/nginx"}]},
                  {"name": "db", "image": "postgres:16"}
                ],
                "volumes": [{"name": "cache", "type": "Ephemeral"}],
                "ingress": [{"name": "www", "host": "shop.example.com", "target": {"service": "web", "port": 80},
                             "access": {"scope": "Internal"}}],
                "expireAt": "2026-02-01T00:00:00Z",
                "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}},
                "nodeSelector": {"zone": "eu-1"}
              },
              "status": {
                "phase": "Running",
                "nodeRef": "worker-01",
                "conditions": [
                  {"type": "Phase", "status": "True", "reason": "Started", "message": "2 containers up",
                   "lastTransitionTime": "2026-01-02T15:06:00Z"},
                  {"type": "Scheduled", "status": "True", "lastTransitionTime": "2026-01-02T15:05:30Z"}
                ]
              }
            }
            """;

    static final String MINIMAL = """
            {"apiVersion": "caravanserai/v1", "kind": "Project", "metadata": {"name": "nginx-demo"},
             "spec": {"services": [{"name": "web", "image": "nginx:alpine"}]}}""";

    static InvalidException invalid(String json) {
        return assertThrows(InvalidException.class, () -> CaraJson.parseProject(json));
    }

    static String withSpec(String spec) {
        return "{\"metadata\": {\"name\": \"p\"}, \"spec\": " + spec + "}";
    }

    @Nested
    class RoundTrip {
        @Test
        void aFullProjectReadsIntoTheModelAndWritesBackByteForByte() {
            Project p = CaraJson.parseProject(FULL_PROJECT);
            assertEquals("shop", p.name());
            assertEquals("12", p.metadata().resourceVersion());
            ProjectSpec spec = p.spec();
            assertEquals(List.of(new EnvVar("MODE", "prod"), new EnvVar("EMPTY", "")), spec.services().get(0).env());
            assertEquals(List.of(new VolumeMount("cache", "/var/cache/nginx")), spec.services().get(0).volumeMounts());
            assertEquals(List.of(), spec.services().get(1).env());
            assertEquals(List.of(VolumeSpec.ephemeral("cache")), spec.volumes());
            assertEquals(List.of(IngressSpec.of("www", "shop.example.com", "web", 80)), spec.ingress());
            assertEquals(Instant.parse("2026-02-01T00:00:00Z"), spec.expireAt());
            assertEquals(ResourceRequirements.requests(Map.of("cpu", "500m", "memory", "1Gi")), spec.resources());
            assertEquals(Map.of("zone", "eu-1"), spec.nodeSelector());
            assertEquals(ProjectPhase.RUNNING, p.phase());
            assertEquals("worker-01", p.status().nodeRef());
            assertEquals("2 containers up", p.status().condition(ProjectStatus.PHASE).orElseThrow().message());
            assertEquals(p, p.validate());

            assertEquals(minify(FULL_PROJECT), CaraJson.toJson(p));
            assertEquals(p, CaraJson.parseProject(CaraJson.toJson(p)));
        }

        @Test
        void aMinimalProjectHasEmptyListsAndWritesItsMapsServicesAndPhase() {
            Project p = CaraJson.parseProjectManifest(MINIMAL).validate();
            assertEquals(Project.builder("nginx-demo").service("web", "nginx:alpine").build(), p);
            assertEquals(List.of(), p.spec().volumes());
            assertEquals(List.of(), p.spec().ingress());
            assertNull(p.spec().expireAt());
            assertEquals("""
                    {"apiVersion":"caravanserai/v1","kind":"Project","metadata":{"name":"nginx-demo","labels":{},\
                    "annotations":{}},"spec":{"services":[{"name":"web","image":"nginx:alpine"}]},\
                    "status":{"phase":"Pending"}}""", CaraJson.toJson(p));
        }

        @Test
        void aProjectListRoundTripsWithItemsAndWhenEmpty() {
            Project full = CaraJson.parseProject(FULL_PROJECT);
            Project minimal = CaraJson.parseProjectManifest(MINIMAL);
            ProjectList list = ProjectList.of(List.of(full, minimal));
            String json = CaraJson.toJson(list);
            assertTrue(json.startsWith("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"ProjectList\",\"items\":["), json);
            assertEquals(list, CaraJson.parseProjectList(json));
            assertEquals("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"ProjectList\",\"items\":[]}",
                    CaraJson.toJson(ProjectList.of(List.of())));
            assertEquals(ProjectList.of(List.of()), CaraJson.parseProjectList("{\"kind\": \"ProjectList\"}"));
        }

        @Test
        void storageKeepsEverythingStatusAndMetadataIncluded() {
            Project p = CaraJson.parseProject(FULL_PROJECT);
            assertEquals(p, ProjectStorageCodec.decode(ProjectStorageCodec.encode(p)));
            assertEquals(CaraJson.toJson(p), ProjectStorageCodec.encode(p));
        }

        @Test
        void aStatusReportRoundTrips() {
            ProjectStatusReport report = new ProjectStatusReport(ProjectPhase.FAILED, "ImagePullBackOff", "no such image \"ngnix\"");
            String json = CaraJson.toJson(report);
            assertEquals("{\"phase\":\"Failed\",\"reason\":\"ImagePullBackOff\",\"message\":\"no such image \\\"ngnix\\\"\"}", json);
            assertEquals(report, CaraJson.parseProjectStatusReport(json));
            assertEquals(new ProjectStatusReport(ProjectPhase.RUNNING, null, null),
                    CaraJson.parseProjectStatusReport("{\"phase\": \"Running\", \"extra\": 1}".getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void unknownFieldsAreIgnoredAtEveryLevel() {
            Project p = CaraJson.parseProject("""
                    {"x": 1, "metadata": {"name": "p", "x": [1]}, "spec": {"x": {}, "services": [{"name": "web",
                     "image": "i", "x": true, "env": [{"name": "A", "value": "b", "x": 1}]}], "volumes": [{"name": "v", "x": 1}],
                     "ingress": [{"name": "r", "target": {"service": "web", "port": 8080, "x": 1}, "access": {"x": 1}}]},
                     "status": {"phase": "Pending", "x": 1}}""");
            assertEquals(new IngressSpec("r", null, new IngressSpec.Target("web", 8080), IngressSpec.Access.INTERNAL),
                    p.spec().ingress().get(0));
            assertEquals(VolumeSpec.ephemeral("v"), p.spec().volumes().get(0));
        }
    }

    @Nested
    class Strictness {
        @Test
        void aWrongKindOrApiVersionIsRefusedButAMissingOneMeansAProject() {
            assertEquals("kind: \"Node\" is invalid: must be \"Project\"",
                    invalid("{\"kind\": \"Node\", \"metadata\": {\"name\": \"p\"}}").getMessage());
            assertEquals("kind: \"project\" is invalid: must be \"Project\"",
                    invalid("{\"kind\": \"project\", \"metadata\": {\"name\": \"p\"}}").getMessage());
            assertEquals("apiVersion: \"v1\" is invalid: must be \"caravanserai/v1\"",
                    invalid("{\"apiVersion\": \"v1\", \"metadata\": {\"name\": \"p\"}}").getMessage());
            assertEquals("kind: 5 is invalid: must be a string (in quotes)",
                    invalid("{\"kind\": 5, \"metadata\": {\"name\": \"p\"}}").getMessage());
            assertEquals("p", CaraJson.parseProjectManifest("{\"metadata\": {\"name\": \"p\"}}").name());
        }

        @Test
        void aManifestNeedsAName() {
            assertEquals("metadata is required: must be an object with at least metadata.name",
                    invalid("{\"kind\": \"Project\"}").getMessage());
            assertEquals("metadata.name is required: must be " + Names.DNS_SUBDOMAIN_RULE,
                    invalid("{\"metadata\": {}}").getMessage());
        }

        @Test
        void wrongTypesAreRefusedNamingTheFieldsPath() {
            assertEquals("spec.services: {} is invalid: must be an array", invalid(withSpec("{\"services\": {}}")).getMessage());
            assertEquals("spec.services[0]: \"web\" is invalid: must be " + ProjectReader.SERVICE_RULE,
                    invalid(withSpec("{\"services\": [\"web\"]}")).getMessage());
            assertEquals("spec.services[1].image: 5 is invalid: must be a string (in quotes)", invalid(withSpec(
                    "{\"services\": [{\"name\": \"a\", \"image\": \"i\"}, {\"name\": \"b\", \"image\": 5}]}")).getMessage());
            assertEquals("spec.services[0].env[0].value: 8080 is invalid: must be a string (in quotes)", invalid(withSpec(
                    "{\"services\": [{\"name\": \"a\", \"image\": \"i\", \"env\": [{\"name\": \"PORT\", \"value\": 8080}]}]}"))
                    .getMessage());
            assertEquals("spec.services[0].volumeMounts[0]: \"data:/d\" is invalid: must be " + ProjectReader.MOUNT_RULE,
                    invalid(withSpec("{\"services\": [{\"name\": \"a\", \"image\": \"i\", \"volumeMounts\": [\"data:/d\"]}]}"))
                    .getMessage());
            assertEquals("spec.ingress[0].target.port: \"80\" is invalid: must be a TCP port from 1 to 65535 (a number without quotes)",
                    invalid(withSpec("{\"ingress\": [{\"name\": \"r\", \"target\": {\"service\": \"a\", \"port\": \"80\"}}]}"))
                            .getMessage());
            assertEquals("spec.ingress[0].target.port: 70000 is invalid: must be a TCP port from 1 to 65535",
                    invalid(withSpec("{\"ingress\": [{\"name\": \"r\", \"target\": {\"service\": \"a\", \"port\": 70000}}]}"))
                            .getMessage());
            assertEquals("spec.ingress[0].target.port is required: must be a TCP port from 1 to 65535",
                    invalid(withSpec("{\"ingress\": [{\"name\": \"r\", \"target\": {\"service\": \"a\"}}]}")).getMessage());
            assertEquals("spec.expireAt: 1767225600 is invalid: must be a string (in quotes)",
                    invalid(withSpec("{\"expireAt\": 1767225600}")).getMessage());
            assertEquals("spec.expireAt: \"tomorrow\" is invalid: must be " + JsonFields.TIMESTAMP_RULE,
                    invalid(withSpec("{\"expireAt\": \"tomorrow\"}")).getMessage());
            assertEquals("spec.resources.requests.cpu: true is invalid: must be " + WireReader.QUANTITY_RULE,
                    invalid(withSpec("{\"resources\": {\"requests\": {\"cpu\": true}}}")).getMessage());
            assertEquals("spec.nodeSelector.zone: 1 is invalid: must be a string (in quotes)",
                    invalid(withSpec("{\"nodeSelector\": {\"zone\": 1}}")).getMessage());
            assertEquals("status.nodeRef: 7 is invalid: must be a string (in quotes)",
                    invalid("{\"metadata\": {\"name\": \"p\"}, \"status\": {\"nodeRef\": 7}}").getMessage());
        }

        @Test
        void quantitiesAreReadAsForNodeCapacityFromTextOrNumbers() {
            Project p = CaraJson.parseProjectManifest(withSpec("{\"resources\": {\"requests\": {\"cpu\": 0.5, \"memory\": \"1Gi\"}}}"));
            assertEquals(ResourceRequirements.requests(Map.of("cpu", "500m", "memory", "1Gi")), p.spec().resources());
            assertEquals("spec.resources.requests.memory: \"lots\" is invalid: must be " + invalidRule("lots"),
                    invalid(withSpec("{\"resources\": {\"requests\": {\"memory\": \"lots\"}}}")).getMessage());
        }

        private static String invalidRule(String text) {
            return assertThrows(InvalidException.class, () -> Quantity.parse(text)).rule();
        }

        @Test
        void enumValuesAreCaseSensitiveAndNameTheValidOnes() {
            assertEquals("status.phase: \"running\" is invalid: must be one of Pending, Scheduled, Running, Failed, Terminating, Terminated",
                    invalid("{\"metadata\": {\"name\": \"p\"}, \"status\": {\"phase\": \"running\"}}").getMessage());
            assertEquals("spec.volumes[0].type: \"ephemeral\" is invalid: must be Ephemeral (the only volume type so far)",
                    invalid(withSpec("{\"volumes\": [{\"name\": \"v\", \"type\": \"ephemeral\"}]}")).getMessage());
            assertEquals("spec.ingress[0].access.scope: \"Public\" is invalid: must be Internal (the only scope so far)",
                    invalid(withSpec("{\"ingress\": [{\"name\": \"r\", \"access\": {\"scope\": \"Public\"}}]}")).getMessage());
            assertEquals("status.conditions[0].status: \"true\" is invalid: must be one of True, False, Unknown",
                    invalid("{\"metadata\": {\"name\": \"p\"}, \"status\": {\"conditions\": [{\"type\": \"Phase\", \"status\": \"true\"}]}}")
                            .getMessage());
        }

        @Test
        void aManifestIgnoresStatusEvenWhenItIsInvalid() {
            Project p = CaraJson.parseProjectManifest("""
                    {"metadata": {"name": "p"}, "spec": {"services": [{"name": "web", "image": "i"}]},
                     "status": {"phase": "running", "nodeRef": 5}}""");
            assertEquals(ProjectStatus.INITIAL, p.status());
        }

        @Test
        void valuesAreLeftToValidateWhichNamesTheSamePaths() {
            Project p = CaraJson.parseProjectManifest(withSpec("""
                    {"services": [{"name": "web", "image": "i", "volumeMounts": [{"name": "nope", "mountPath": "/d"}]}]}"""));
            assertEquals("spec.services[0].volumeMounts[0].name: \"nope\" is invalid: must be the name of a volume in spec.volumes (none is declared)",
                    assertThrows(InvalidException.class, p::validate).getMessage());
            assertTrue(assertThrows(InvalidException.class, CaraJson.parseProjectManifest(withSpec("{}"))::validate)
                    .getMessage().startsWith("spec.services is required"));
        }

        @Test
        void errorsInsideAListNameTheItem() {
            assertEquals("items[1].status.phase: \"Done\" is invalid: must be one of Pending, Scheduled, Running, Failed, Terminating,"
                            + " Terminated",
                    assertThrows(InvalidException.class, () -> CaraJson.parseProjectList("""
                            {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}, "status": {"phase": "Done"}}]}"""))
                            .getMessage());
            assertEquals("kind: \"NodeList\" is invalid: must be \"ProjectList\"",
                    assertThrows(InvalidException.class, () -> CaraJson.parseProjectList("{\"kind\": \"NodeList\"}")).getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"metadata\": {\"name\": \"p\"}} x", "{\"metadata\": {\"name\": \"p\"}}{}", "[]", "\"p\"", "",
                "{\"metadata\": {\"name\": \"p\"}", "{\"metadata\": {\"name\": 'p'}}"})
        void malformedOrTrailingDataIsInvalid(String body) {
            assertThrows(InvalidException.class, () -> CaraJson.parseProjectManifest(body));
            assertThrows(InvalidException.class, () -> CaraJson.parseProjectManifest(body.getBytes(StandardCharsets.UTF_8)));
            assertThrows(InvalidException.class, () -> CaraJson.parseProject(body));
            assertThrows(InvalidException.class, () -> CaraJson.parseProjectStatusReport(body));
        }

        @Test
        void dataAfterTheObjectIsNamedWithItsPlace() {
            assertEquals("the body has data after the JSON object (line 1, column 29): send exactly one JSON object",
                    assertThrows(InvalidException.class, () -> CaraJson.parseProjectManifest("{\"metadata\": {\"name\": \"p\"}} x"))
                            .getMessage());
        }

        @Test
        void aStatusReportNeedsAPhaseSpelledExactly() {
            String valid = "one of Pending, Scheduled, Running, Failed, Terminating, Terminated";
            assertEquals("phase is required: must be " + valid,
                    assertThrows(InvalidException.class, () -> CaraJson.parseProjectStatusReport("{\"reason\": \"x\"}")).getMessage());
            assertEquals("phase: \"RUNNING\" is invalid: must be " + valid,
                    assertThrows(InvalidException.class, () -> CaraJson.parseProjectStatusReport("{\"phase\": \"RUNNING\"}"))
                            .getMessage());
            assertEquals("message: {} is invalid: must be a string (in quotes)", assertThrows(InvalidException.class,
                    () -> CaraJson.parseProjectStatusReport("{\"phase\": \"Failed\", \"message\": {}}")).getMessage());
            assertEquals("the body is empty: a JSON object is required", assertThrows(InvalidException.class,
                    () -> CaraJson.parseProjectStatusReport(new byte[0])).getMessage());
        }

        @Test
        void aManifestReadsFromBytesAndAStream() {
            byte[] bytes = MINIMAL.getBytes(StandardCharsets.UTF_8);
            Project expected = CaraJson.parseProjectManifest(MINIMAL);
            assertEquals(expected, CaraJson.parseProjectManifest(bytes));
            assertEquals(expected, CaraJson.parseProjectManifest(new ByteArrayInputStream(bytes)));
            assertEquals(JsonText.NOT_UTF8, assertThrows(InvalidException.class,
                    () -> CaraJson.parseProjectManifest(new byte[] {'{', (byte) 0xff, '}'})).getMessage());
        }
    }

    @Nested
    class EitherKind {
        @Test
        void documentsAreToldApartByKind() {
            Manifest project = CaraJson.parseAnyManifest(MINIMAL);
            assertEquals(new Manifest.OfProject(CaraJson.parseProjectManifest(MINIMAL)), project);
            assertEquals("Project", project.kind());
            assertEquals("nginx-demo", project.name());
            Manifest node = CaraJson.parseAnyManifest("{\"kind\": \"Node\", \"metadata\": {\"name\": \"w1\"}}".getBytes(StandardCharsets.UTF_8));
            assertEquals("w1", assertInstanceOf(Manifest.OfNode.class, node).node().metadata().name());
            assertInstanceOf(Manifest.OfNode.class, CaraJson.parseAnyManifest("{\"metadata\": {\"name\": \"w1\"}}"));
        }

        @Test
        void anotherKindIsRefusedNamingBoth() {
            assertEquals("kind: \"Deployment\" is invalid: must be \"Node\" or \"Project\"", assertThrows(InvalidException.class,
                    () -> CaraJson.parseAnyManifest("{\"kind\": \"Deployment\", \"metadata\": {\"name\": \"d\"}}")).getMessage());
            assertEquals("spec.services: 1 is invalid: must be an array", assertThrows(InvalidException.class,
                    () -> CaraJson.parseAnyManifest("{\"kind\": \"Project\", \"metadata\": {\"name\": \"d\"}, \"spec\": {\"services\": 1}}"))
                    .getMessage());
        }
    }

    @Nested
    class SyntaxError {
        @Test
        void wellFormedObjectsAndArraysHaveNone() {
            assertTrue(CaraJson.syntaxError(MINIMAL).isEmpty());
            assertTrue(CaraJson.syntaxError(" [1, {\"a\": []}] \n").isEmpty());
        }

        @Test
        void theDetailIsTheServersWithItsPlace() {
            String body = "{\n  \"metadata\": {\"name\": \"p\",}\n}";
            assertEquals("malformed JSON at line 2, column 28: found '}' where a string should be",
                    CaraJson.syntaxError(body).orElseThrow());
            assertEquals(assertThrows(InvalidException.class, () -> CaraJson.parseProjectManifest(body)).getMessage(),
                    CaraJson.syntaxError(body).orElseThrow());
            assertEquals("the body must be a JSON object, not a number", CaraJson.syntaxError("5").orElseThrow());
        }
    }
}
