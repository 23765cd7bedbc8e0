package dev.cara.ctl;

import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.ResourceList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DescribeNodeTest {
    private Harness h;

    @BeforeEach
    void fleet() {
        h = new Harness();
        Fleet.build(h);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aHeartbeatingNodeShowsEverySection() {
        Harness.Result r = h.run("describe", "node", "worker-01");
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                Name:             worker-01
                Labels:           env=prod
                                  zone=a
                Annotations:      owner=team-infra
                Created:          2026-11-20T10:00:00Z (5d ago)
                Updated:          2026-11-20T10:00:00Z (5d ago)
                Resource Version: 1
                Spec:
                  Hostname:       worker-01.lan
                  Unschedulable:  false
                Status:
                  State:          Ready
                  Conditions:     Healthy
                  Last Heartbeat: 2026-11-25T09:59:50Z (10s ago)
                Network:
                  IP:             10.0.0.11
                  DNS Name:       worker-01.lan
                  Mode:           Direct
                  Agent Port:     9090
                Capacity:
                  cpu:            4
                  memory:         8Gi
                Allocatable:
                  cpu:            3800m
                  memory:         7680Mi
                Info:
                  Kernel Version: 6.1.0-18-amd64
                  OS Image:       Debian GNU/Linux 12 (bookworm)
                  Agent Version:  0.1.0
                Conditions:
                  TYPE            STATUS   REASON              MESSAGE                     LAST TRANSITION
                  Ready           True     AgentHeartbeating   the agent is heartbeating   10s
                  NoHeartbeat     False    AgentHeartbeating   <none>                      10s
                  Unschedulable   False    Schedulable         <none>                      5d
                Projects:
                  <none>
                Allocated resources:
                  RESOURCE   RESERVED   ALLOCATABLE
                  cpu        0 (0%)     3800m
                  memory     0 (0%)     7680Mi
                Events:
                  TYPE     REASON   AGE   COUNT   MESSAGE
                  Normal   Ready    10s   1       node is Ready
                """, r.out(), "its Registered event, 5 days old, is past the hour events are kept");
    }

    @Test
    void aSilentNodeShowsItsAdverseConditionsWithReasonsAndAges() {
        String page = h.run("describe", "no", "worker-02").out();
        assertEquals("""
                Conditions:
                  TYPE             STATUS    REASON             MESSAGE                              LAST TRANSITION
                  Ready            Unknown   HeartbeatTimeout   no heartbeat for longer than 1m30s   12m
                  NoHeartbeat      True      HeartbeatTimeout   no heartbeat for longer than 1m30s   12m
                  Unschedulable    False     Schedulable        <none>                               3h
                  MemoryPressure   True      LowMemory          memory available 3%                  3h
                """, page.substring(page.indexOf("Conditions:\n  TYPE"), page.indexOf("Projects:")));
        assertEquals(true, page.contains("  Conditions:     NoHeartbeat,MemoryPressure\n"), page);
        assertEquals(true, page.contains("Capacity:\n  <none>\n"), page);
    }

    @Test
    void resourceAmountsLineUpWhenANameIsLongerThanTheLabels() {
        h.controlPlane.heartbeat("worker-04", new HeartbeatReport(NodeState.READY, null,
                ResourceList.parse(Map.of("cpu", "2", "memory", "4Gi", "ephemeral-storage", "264212084Ki")),
                null, null, List.of()));
        String page = h.run("describe", "node", "worker-04").out();
        assertEquals("""
                Capacity:
                  cpu:               2
                  ephemeral-storage: 264212084Ki
                  memory:            4Gi
                Allocatable:
                """, page.substring(page.indexOf("Capacity:"), page.indexOf("Allocatable:") + "Allocatable:\n".length()));
    }

    @Test
    void describeNodeStillWorksAgainstAServerWithoutTheProjectApi() {
        h.projects.absent = true;
        Harness.Result r = h.run("describe", "node", "worker-01");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        String page = r.out();
        assertEquals("Projects:\n  <unknown: the server does not serve projects>\n",
                page.substring(page.indexOf("Projects:"), page.indexOf("Events:")));
    }

    @Test
    void theEventsSectionListsTheNodesEventsOldestFirstOrNone() {
        h.controlPlane.setUnschedulable("worker-01", true);
        h.clock.advance(java.time.Duration.ofSeconds(30)); // within the heartbeat timeout
        h.controlPlane.setUnschedulable("worker-01", false);
        String page = h.run("describe", "node", "worker-01").out();
        assertEquals("""
                Events:
                  TYPE     REASON        AGE   COUNT   MESSAGE
                  Normal   Ready         40s   1       node is Ready
                  Normal   Draining      30s   1       node is Draining: no new work is placed here; work on it keeps running
                  Normal   Schedulable   0s    1       node is schedulable again, and Ready
                """, page.substring(page.indexOf("Events:")));
        h.controlPlane.store().events().compact(h.clock.instant().plus(java.time.Duration.ofHours(2)));
        page = h.run("describe", "node", "worker-01").out();
        assertEquals("Events:\n  <none>\n", page.substring(page.indexOf("Events:")));
    }

    @Test
    void aMissingNodeExitsOne() {
        Harness.Result r = h.run("describe", "node", "ghost");
        assertEquals(1, r.code());
        assertEquals("Error: node \"ghost\" not found\n", r.err());
        assertEquals(2, h.run("describe", "node").code());
    }
}
