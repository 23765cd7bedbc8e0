package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectValidationTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static ServiceSpec service(String name, VolumeMount... mounts) {
        return new ServiceSpec(name, "nginx:alpine", List.of(), List.of(mounts));
    }

    private static Project project(List<ServiceSpec> services, List<VolumeSpec> volumes, List<IngressSpec> ingress) {
        return new Project(ObjectMeta.named("demo"), new ProjectSpec(services, volumes, ingress, null, null, null), null);
    }

    private static InvalidException invalid(Project p) {
        return assertThrows(InvalidException.class, p::validate);
    }

    @Test
    void theIssuesExampleManifestIsValidAndStartsPending() {
        Project p = Project.builder("nginx-demo").service("web", "nginx:alpine").build();
        assertSame(p, p.validateForCreate(NOW));
        assertEquals(ProjectPhase.PENDING, p.phase());
        assertEquals("caravanserai/v1", p.apiVersion());
        assertEquals("Project", p.kind());
        assertEquals(VolumeType.EPHEMERAL, VolumeSpec.ephemeral("x").type());
    }

    @Test
    void aFullManifestIsValid() {
        Project p = Project.builder("shop")
                .label("team", "web").annotation("note", "free text")
                .service(ServiceSpec.builder("web").image("nginx:1.27").env("MODE", "prod").volumeMount("cache", "/cache").build())
                .service("db", "postgres:17")
                .volume("cache")
                .ingress(IngressSpec.of("site", "shop.example.com", "web", 80))
                .expireAt(NOW.plusSeconds(3600))
                .request("cpu", "500m").request("memory", "1Gi")
                .nodeSelector("zone", "a")
                .build();
        assertSame(p, p.validateForCreate(NOW));
        assertEquals(ResourceList.parse(Map.of("cpu", "500m", "memory", "1Gi")), p.spec().resources().requests());
        assertTrue(p.spec().schedulingRequest().selector().matches(Map.of("zone", "a")));
    }

    @Test
    void atLeastOneServiceIsRequired() {
        InvalidException e = invalid(project(List.of(), List.of(), List.of()));
        assertEquals("spec.services", e.field());
        assertTrue(e.getMessage().startsWith("spec.services is required: must be a list of at least one service"), e.getMessage());
        assertEquals("spec.services", assertThrows(InvalidException.class, () -> Project.builder("demo").build()).field());
    }

    @Test
    void serviceNamesMustBeUnique() {
        InvalidException e = invalid(project(List.of(service("web"), service("web")), List.of(), List.of()));
        assertEquals("spec.services[1].name: \"web\" is invalid: must be unique among services", e.getMessage());
        assertEquals("spec.services[1].name", assertThrows(InvalidException.class,
                () -> Project.builder("demo").service("web", "a").service("web", "b")).field());
    }

    /** The shorthand once prefixed the path twice: spec.services[1].spec.services[1].name. */
    @Test
    void serviceShorthandNamesTheFieldPathOnce() {
        assertEquals("spec.services[1].name: \"web\" is invalid: must be unique among services", assertThrows(InvalidException.class,
                () -> Project.builder("demo").service("web", "a").service("web", "b")).getMessage());
        assertEquals("spec.services[0].image", assertThrows(InvalidException.class,
                () -> Project.builder("demo").service("web", "bad image")).field());
    }

    @Test
    void namesFollowTheDnsRule() {
        assertEquals("spec.services[0].name: \"Web_1\" is invalid: must be " + Names.DNS_SUBDOMAIN_RULE,
                invalid(project(List.of(service("Web_1")), List.of(), List.of())).getMessage());
        assertEquals("spec.volumes[0].name", invalid(project(List.of(service("web")), List.of(VolumeSpec.ephemeral("a b")), List.of())).field());
        assertEquals("spec.ingress[0].name", invalid(project(List.of(service("web")), List.of(),
                List.of(IngressSpec.of("-x", null, "web", 80)))).field());
        assertEquals("metadata.name", assertThrows(InvalidException.class, () -> Project.builder("Bad")).field());
        assertEquals("spec.services[0].name", assertThrows(InvalidException.class,
                () -> Project.builder("demo").service("Bad", "nginx")).field());
    }

    @Test
    void volumeNamesMustBeUniqueAndMountsMustNameADeclaredVolume() {
        assertEquals("spec.volumes[1].name: \"data\" is invalid: must be unique among volumes",
                invalid(project(List.of(service("web")), List.of(VolumeSpec.ephemeral("data"), VolumeSpec.ephemeral("data")), List.of()))
                        .getMessage());
        InvalidException e = invalid(project(List.of(service("web"), service("db", new VolumeMount("cache", "/c"))),
                List.of(VolumeSpec.ephemeral("data"), VolumeSpec.ephemeral("logs")), List.of()));
        assertEquals("spec.services[1].volumeMounts[0].name: \"cache\" is invalid: must be the name of a volume in spec.volumes"
                + " (declared: data, logs)", e.getMessage());
        assertTrue(assertThrows(InvalidException.class, () -> Project.builder("demo")
                .service(ServiceSpec.builder("web").image("nginx").volumeMount("data", "/d").build()).build())
                .getMessage().contains("none is declared"));
    }

    @Test
    void mountPathsMustBeAbsoluteAndUniqueInAService() {
        assertEquals("spec.services[0].volumeMounts[0].mountPath", invalid(project(
                List.of(service("web", new VolumeMount("data", "relative"))), List.of(VolumeSpec.ephemeral("data")), List.of())).field());
        assertEquals("spec.services[0].volumeMounts[1].mountPath: \"/d\" is invalid: must be unique among the service's volumeMounts",
                invalid(project(List.of(service("web", new VolumeMount("data", "/d"), new VolumeMount("logs", "/d"))),
                        List.of(VolumeSpec.ephemeral("data"), VolumeSpec.ephemeral("logs")), List.of())).getMessage());
    }

    @Test
    void ingressTargetsMustNameADeclaredServiceAndAPortFrom1To65535() {
        assertEquals("spec.ingress[0].target.service: \"api\" is invalid: must be the name of a service in spec.services"
                        + " (declared: web)",
                invalid(project(List.of(service("web")), List.of(), List.of(IngressSpec.of("site", null, "api", 80)))).getMessage());
        for (int port : new int[] {0, -1, 65_536}) {
            assertEquals("spec.ingress[0].target.port: " + port + " is invalid: must be a port from 1 to 65535",
                    invalid(project(List.of(service("web")), List.of(), List.of(IngressSpec.of("site", null, "web", port))))
                            .getMessage());
        }
        assertEquals("spec.ingress[1].name", invalid(project(List.of(service("web")), List.of(),
                List.of(IngressSpec.of("site", null, "web", 80), IngressSpec.of("site", null, "web", 81)))).field());
        assertEquals("spec.ingress[0].target", invalid(project(List.of(service("web")), List.of(),
                List.of(new IngressSpec("site", null, null, null)))).field());
        assertEquals("spec.ingress[0].host", invalid(project(List.of(service("web")), List.of(),
                List.of(IngressSpec.of("site", "Not A Host", "web", 80)))).field());
    }

    @Test
    void imagesAndEnvironmentNamesAreChecked() {
        assertEquals("spec.services[0].image is required: must be " + ServiceSpec.IMAGE_RULE,
                invalid(project(List.of(new ServiceSpec("web", null, null, null)), List.of(), List.of())).getMessage());
        assertEquals("spec.services[0].image", invalid(project(List.of(new ServiceSpec("web", "nginx latest", null, null)),
                List.of(), List.of())).field());
        InvalidException env = invalid(project(List.of(new ServiceSpec("web", "nginx", List.of(new EnvVar("OK", "1"),
                new EnvVar("1BAD", "x")), null)), List.of(), List.of()));
        assertEquals("spec.services[0].env[1].name: \"1BAD\" is invalid: must be " + EnvVar.NAME_RULE, env.getMessage());
        assertEquals("env[0].name", assertThrows(InvalidException.class,
                () -> ServiceSpec.builder("web").image("nginx").env("A=B", "x")).field(), "a service's builder names relative paths");
        assertEquals("", new EnvVar("EMPTY", null).value(), "a missing value is the empty string");
    }

    @Test
    void expireAtMustLieInTheFutureOnlyAtCreation() {
        Project expired = Project.builder("demo").service("web", "nginx").expireAt(NOW).build();
        assertSame(expired, expired.validate(), "an update of an older project keeps its expiry");
        InvalidException e = assertThrows(InvalidException.class, () -> expired.validateForCreate(NOW));
        assertEquals("spec.expireAt", e.field());
        assertTrue(e.getMessage().startsWith("spec.expireAt: \"2026-06-01T12:00:00Z\" is invalid: must be in the future"), e.getMessage());
        Project later = Project.builder("demo").service("web", "nginx").expireAt(NOW.plusMillis(1)).build();
        assertSame(later, later.validateForCreate(NOW));
    }

    @Test
    void requestsAndNodeSelectorsAreChecked() {
        assertEquals("spec.resources.requests.cpu", assertThrows(InvalidException.class,
                () -> Project.builder("demo").request("cpu", "-1")).field());
        assertEquals("spec.resources.requests.cpu", assertThrows(InvalidException.class,
                () -> Project.builder("demo").request("cpu", "lots")).field());
        Project negative = new Project(ObjectMeta.named("demo"), new ProjectSpec(List.of(service("web")), null, null, null,
                new ResourceRequirements(ResourceList.of(Map.of("memory", Quantity.parse("-1Gi")))), null), null);
        assertEquals("spec.resources.requests.memory: \"-1Gi\" is invalid: must be zero or more",
                assertThrows(InvalidException.class, negative::validate).getMessage());
        Project badSelector = new Project(ObjectMeta.named("demo"), new ProjectSpec(List.of(service("web")), null, null, null,
                null, Map.of("zone", "-a")), null);
        assertEquals("spec.nodeSelector.zone", assertThrows(InvalidException.class, badSelector::validate).field());
        assertEquals("spec.nodeSelector", assertThrows(InvalidException.class,
                () -> Project.builder("demo").nodeSelector("bad key", "a")).field());
    }

    @Test
    void theTypeMetaIsCheckedAsForNodes() {
        Project.checkTypeMeta("caravanserai/v1", "Project");
        assertEquals("apiVersion: \"v1\" is invalid: must be \"caravanserai/v1\"",
                assertThrows(InvalidException.class, () -> Project.checkTypeMeta("v1", "Project")).getMessage());
        assertEquals("kind: \"Node\" is invalid: must be \"Project\"",
                assertThrows(InvalidException.class, () -> Project.checkTypeMeta("caravanserai/v1", "Node")).getMessage());
        assertEquals("kind is required: must be \"Project\"",
                assertThrows(InvalidException.class, () -> Project.checkTypeMeta("caravanserai/v1", null)).getMessage());
    }

    @Test
    void theSpecMayChangeOnlyWhilePendingOrFailed() {
        Project p = Project.builder("demo").service("web", "nginx").build();
        Project changed = p.withSpec(Project.builder("demo").service("web", "nginx:1.27").build().spec());
        Project relabelled = p.withMetadata(p.metadata().withLabels(Map.of("team", "b")));
        for (ProjectPhase phase : ProjectPhase.values()) {
            Project current = p.withStatus(new ProjectStatus(phase, phase.holdsNode() ? "w1" : null, null));
            Project.checkSpecChange(current, relabelled);
            if (phase == ProjectPhase.PENDING || phase == ProjectPhase.FAILED) {
                Project.checkSpecChange(current, changed);
            } else {
                ConflictException e = assertThrows(ConflictException.class, () -> Project.checkSpecChange(current, changed));
                assertTrue(e.getMessage().startsWith("project \"demo\" is " + phase + ": its spec may change only while"),
                        e.getMessage());
            }
        }
    }

    @Test
    void enumsReadTheirWireSpellingExactly() {
        assertEquals(ProjectPhase.RUNNING, ProjectPhase.fromWire("phase", "Running"));
        assertEquals("phase: \"running\" is invalid: must be one of Pending, Scheduled, Running, Failed, Terminating, Terminated",
                assertThrows(InvalidException.class, () -> ProjectPhase.fromWire("phase", "running")).getMessage());
        assertEquals(VolumeType.EPHEMERAL, VolumeType.fromWire("type", "Ephemeral"));
        assertEquals("spec.volumes[0].type", assertThrows(InvalidException.class,
                () -> VolumeType.fromWire("spec.volumes[0].type", "Managed")).field());
        assertEquals(IngressSpec.Scope.INTERNAL, IngressSpec.Scope.fromWire("scope", "Internal"));
        assertThrows(InvalidException.class, () -> IngressSpec.Scope.fromWire("scope", "Public"));
    }
}
