package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.testkit.JsonTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code get projects}, {@code describe project}, {@code delete project}, and the projects in {@code describe node}. */
class ProjectCommandsTest {
    private Harness h;

    @BeforeEach
    void fleet() {
        h = new Harness();
        Fleet.build(h); // the clock is at T0 + 5d
        h.projects.put(ago(Duration.ofHours(2), Project.builder("shop").label("app", "shop").service("web", "nginx:alpine")
                .service("api", "ghcr.io/example/shop-api:1.4").request("cpu", "500m").request("memory", "1Gi")
                .expireAt(h.clock.instant().plus(Duration.ofDays(3)).minus(Duration.ofHours(2))).build()
                .withStatus(bound(ProjectPhase.RUNNING, "worker-01"))));
        h.projects.put(ago(Duration.ofHours(1), Project.builder("batch").service("job", "busybox").request("cpu", "1").build()
                .withStatus(bound(ProjectPhase.SCHEDULED, "worker-01"))));
        h.projects.put(ago(Duration.ofHours(1), Project.builder("old").service("web", "nginx:alpine").request("cpu", "2").build()
                .withStatus(new ProjectStatus(ProjectPhase.FAILED, "worker-01", List.of()))));
        h.projects.put(ago(Duration.ofMinutes(1), Project.builder("nginx-demo").service("web", "nginx:alpine").build()));
    }

    private Project ago(Duration age, Project p) {
        return p.withMetadata(p.metadata().withTimes(h.clock.instant().minus(age), null));
    }

    private ProjectStatus bound(ProjectPhase phase, String node) {
        return new ProjectStatus(phase, node, List.of(
                new Condition(ProjectStatus.SCHEDULED, ConditionStatus.TRUE, "Bound", "bound to " + node, null, h.clock.instant())));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void tableShowsPhaseNodeServicesAgeAndExpiry() {
        Harness.Result r = h.run("get", "projects");
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                NAME         PHASE       NODE        SERVICES   AGE   EXPIRES
                batch        Scheduled   worker-01   1          1h    <none>
                nginx-demo   Pending     <none>      1          1m    <none>
                old          Failed      worker-01   1          1h    <none>
                shop         Running     worker-01   2          2h    2d
                """, r.out());
    }

    @Test
    void wideAddsImagesAndRequests() {
        Harness.Result r = h.run("get", "project", "shop", "-o", "wide");
        assertEquals("""
                NAME   PHASE     NODE        SERVICES   AGE   EXPIRES   IMAGES                                      REQUESTS
                shop   Running   worker-01   2          2h    2d        nginx:alpine,ghcr.io/example/shop-api:1.4   cpu=500m,memory=1Gi
                """, r.out(), r::toString);
    }

    @Test
    void phasesAreOredAndCombineWithTheSelector() {
        assertEquals("project/batch\nproject/shop\n",
                h.run("get", "projects", "--phase", "running", "--phase", "Scheduled", "-o", "name").out());
        assertEquals("project/shop\n", h.run("get", "projects", "--phase", "Running", "-l", "app=shop", "-o", "name").out());
        Harness.Result bad = h.run("get", "projects", "--phase", "Done");
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("--phase: \"Done\" is not a phase: use Pending, Scheduled, Running, Failed, Terminating,"
                + " Terminated"), bad.err());
    }

    @Test
    void jsonOfOneNamedProjectIsTheApiProjectAndOfSeveralAProjectList() {
        Harness.Result one = h.run("get", "projects", "shop", "-o", "json");
        assertEquals(JsonTrees.object(CaraJson.toJson(h.projects.get("shop"))), JsonTrees.object(one.out()));
        Harness.Result all = h.run("get", "projects", "-o", "json");
        assertEquals(4, CaraJson.parseProjectList(JsonTrees.object(all.out()).toString()).items().size());
        assertTrue(h.run("get", "projects", "-o", "yaml").out().startsWith("apiVersion: caravanserai/v1\nkind: ProjectList\n"));
    }

    @Test
    void aMissingProjectIsAnErrorAndTheOthersStillPrint() {
        Harness.Result r = h.run("get", "projects", "ghost", "shop", "-o", "name");
        assertEquals(1, r.code());
        assertEquals("project/shop\n", r.out());
        assertEquals("Error: project \"ghost\" not found\n", r.err());
    }

    @Test
    void watchPrintsTheListThenEachChange() throws Exception {
        Harness.Running run = h.start("get", "projects", "-w", "-o", "name", "--phase", "Running");
        dev.cara.sdk.testkit.Eventually.await(Duration.ofSeconds(30), "the listing",
                () -> run.out().toString().contains("project/shop\n"));
        h.projects.put(h.projects.get("batch").withStatus(bound(ProjectPhase.RUNNING, "worker-01")));
        h.projects.put(h.projects.get("old")); // Failed: not selected
        h.projects.endWatches("the server ended the watch");
        assertEquals(3, (int) run.code().get(30, java.util.concurrent.TimeUnit.SECONDS));
        // The watch's ADDED replay (names print no header), then the change; Failed "old" is filtered out.
        assertEquals("project/shop\nproject/batch\n", run.out().toString());
    }

    @Test
    void describeShowsSpecServicesVolumesIngressStatusAndConditions() {
        h.projects.put(Project.builder("site").service(ServiceSpec.builder("web").image("nginx:alpine").env("MODE", "prod")
                        .volumeMount("cache", "/var/cache/nginx").build())
                .volume("cache").ingress(IngressSpec.of("public", "site.example.com", "web", 80))
                .nodeSelector("env", "prod").build());
        Harness.Result r = h.run("describe", "project", "site");
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                Name:             site
                Labels:           <none>
                Annotations:      <none>
                Created:          2026-11-25T10:00:00Z (0s ago)
                Updated:          2026-11-25T10:00:00Z (0s ago)
                Resource Version: 5
                Spec:
                  Expire At:      <none>
                  Requests:       <none>
                  Node Selector:  env=prod
                Services:
                  web:
                    Image:        nginx:alpine
                    Environment:
                      MODE=prod
                    Mounts:
                      /var/cache/nginx from cache
                Volumes:
                  NAME    TYPE
                  cache   Ephemeral
                Ingress:
                  NAME     HOST               TARGET   ACCESS
                  public   site.example.com   web:80   Internal
                Status:
                  Phase:          Pending
                  Node:           <none>
                Conditions:
                  <none>
                """, r.out());
        assertTrue(h.run("describe", "project", "shop").out().contains("  Expire At:      2026-11-28T08:00:00Z (in 2d)\n"));
        assertEquals("Error: project \"ghost\" not found\n", h.run("describe", "project", "ghost").err());
    }

    @Test
    void deleteSaysDeletedOrTerminatingAndForceRemovesAtOnce() {
        Harness.Result pending = h.run("delete", "project", "nginx-demo");
        assertEquals("project \"nginx-demo\" deleted\n", pending.out(), pending::toString);
        Harness.Result running = h.run("delete", "project", "shop");
        assertEquals(0, running.code(), running::toString);
        assertEquals("project \"shop\" terminating (its node's agent is tearing it down; the record goes once it reports"
                + " Terminated)\n", running.out());
        assertEquals(ProjectPhase.TERMINATING, h.projects.get("shop").phase());
        assertEquals("project \"shop\" deleted\n", h.run("delete", "project", "shop", "--force").out());
        Harness.Result missing = h.run("delete", "project", "shop", "batch");
        assertEquals(1, missing.code());
        assertEquals("Error: project \"shop\" not found\n", missing.err());
        assertTrue(missing.out().contains("project \"batch\" terminating"), missing.out());
    }

    @Test
    void describeNodeListsItsProjectsAndWhatTheHoldingOnesReserve() {
        String page = h.run("describe", "node", "worker-01").out();
        // Failed "old" is listed but reserves nothing; nginx-demo is on no node.
        assertEquals("""
                Projects: (3 in total)
                  NAME    PHASE       REQUESTS              AGE
                  batch   Scheduled   cpu=1                 1h
                  old     Failed      cpu=2                 1h
                  shop    Running     cpu=500m,memory=1Gi   2h
                Allocated resources:
                  RESOURCE   RESERVED      ALLOCATABLE
                  cpu        1500m (39%)   3800m
                  memory     1Gi (13%)     7680Mi
                """, page.substring(page.indexOf("Projects:"), page.indexOf("Events:")));
        String idle = h.run("describe", "node", "worker-02").out();
        assertEquals("Projects:\n  <none>\nAllocated resources:\n  <none>\n",
                idle.substring(idle.indexOf("Projects:"), idle.indexOf("Events:")));
    }

    @Test
    void getProjectsWithNoneSaysSoOnStderr() {
        for (String name : List.of("shop", "batch", "old", "nginx-demo")) {
            h.run("delete", "project", name, "--force");
        }
        Harness.Result r = h.run("get", "projects");
        assertEquals("", r.out());
        assertEquals("No resources found\n", r.err());
    }
}
