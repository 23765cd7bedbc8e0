package dev.cara.sdk;

import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project API and controllers through the {@link ControlPlane} facade, on manual ticks and fake time. */
class ControlPlaneProjectsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private final FakeTime time = new FakeTime();
    private final MemoryStore store = MemoryStore.create();
    private final List<ProjectEvent> events = new ArrayList<>();
    private final ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(TIMEOUT)
            .manualTicks(true).listener(new ControlPlaneListener() {
                @Override
                public void project(ProjectEvent event) {
                    events.add(event);
                }
            }).build().start();
    private final ProjectControl projects = cp.projects();

    @AfterEach
    void close() {
        cp.close();
    }

    private void readyNode(String name, String cpu, String memory, String zone) {
        cp.register(Node.builder(name).label("zone", zone).build());
        heartbeat(name, cpu, memory);
    }

    private void heartbeat(String name, String cpu, String memory) {
        ResourceList alloc = ResourceList.parse(Map.of("cpu", cpu, "memory", memory));
        cp.heartbeat(name, new HeartbeatReport(NodeState.READY, null, alloc, alloc, null, null));
    }

    private static Project project(String name, String cpu) {
        return Project.builder(name).service("web", "nginx:alpine").request("cpu", cpu).build();
    }

    @Test
    void aCreatedProjectStartsPendingAndTheLeaderBindsItOnTheNextTick() {
        readyNode("w1", "2", "4Gi", "a");
        Project created = projects.create(project("p1", "1"));
        assertEquals(ProjectPhase.PENDING, created.phase());
        assertEquals(time.instant(), created.metadata().createdAt());
        cp.tick();
        Project bound = projects.get("p1");
        assertEquals(ProjectPhase.SCHEDULED, bound.phase());
        assertEquals("w1", bound.status().nodeRef());
        assertEquals(List.of(ProjectEvent.Kind.SCHEDULED), events.stream().map(ProjectEvent::kind).toList());
        assertEquals(created.metadata().resourceVersion(), bound.metadata().resourceVersion(), "a binding is a status write");
    }

    @Test
    void noNodeOverCommittedAndUnschedulableIsWrittenOnlyWhenItChanges() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1500m"));
        projects.create(project("p2", "1"));
        cp.tick();
        assertEquals(ProjectPhase.SCHEDULED, projects.get("p1").phase());
        Project waiting = projects.get("p2");
        assertEquals(ProjectPhase.PENDING, waiting.phase());
        assertEquals("0/1 node available: 1 insufficient cpu",
                waiting.status().condition(ProjectStatus.SCHEDULED).orElseThrow().message());
        long revision = store.projects().revision();
        for (int i = 0; i < 5; i++) {
            time.advance(Duration.ofSeconds(31)); // past the resync: full passes
            heartbeat("w1", "2", "4Gi");
            cp.tick();
        }
        assertEquals(revision, store.projects().revision(), "an unchanged Scheduled=False is not written again");
        assertEquals(1, events.stream().filter(e -> e.kind() == ProjectEvent.Kind.UNSCHEDULABLE).count());

        readyNode("w2", "1", "1Gi", "b"); // a new node re-queues the pending project
        cp.tick();
        assertEquals("w2", projects.get("p2").status().nodeRef());
    }

    @Test
    void theScheduledMessageCountsWhyNoNodeFits() {
        readyNode("w1", "2", "4Gi", "a");
        cp.register(Node.builder("w2").build()); // NotReady: never heard from
        readyNode("w3", "2", "4Gi", "a");
        cp.setUnschedulable("w3", true);
        projects.create(project("p1", "4"));
        cp.tick();
        assertEquals("0/3 nodes available: 1 Draining, 1 NotReady, 1 insufficient cpu",
                projects.get("p1").status().condition(ProjectStatus.SCHEDULED).orElseThrow().message());
    }

    @Test
    void updateMayChangeTheSpecOnlyWhilePendingOrFailedAndLabelsAlways() {
        Project created = projects.create(project("p1", "1"));
        Project changed = projects.update(project("p1", "2").withMetadata(created.metadata().withLabels(Map.of("team", "x"))));
        assertEquals("2", changed.spec().resources().requests().amount("cpu").toString());
        assertThrows(ConflictException.class, () -> projects.update(project("p1", "3")
                .withMetadata(created.metadata()))); // the stale resourceVersion
        readyNode("w1", "4", "4Gi", "a");
        cp.tick();
        ConflictException refused = assertThrows(ConflictException.class, () -> projects.update(project("p1", "1")));
        assertTrue(refused.getMessage().contains("is Scheduled: its spec may change only while it is Pending or Failed"),
                refused.getMessage());
        Project relabelled = projects.update(project("p1", "2").withMetadata(
                ObjectMeta.named("p1").withLabels(Map.of("team", "y"))));
        assertEquals(Map.of("team", "y"), relabelled.metadata().labels());
    }

    @Test
    void deleteRemovesPendingAtOnceAndTurnsScheduledTerminatingUntilTheAgentReports() {
        projects.create(project("idle", "1"));
        ProjectDeleteOutcome gone = projects.delete("idle", false);
        assertEquals(new ProjectDeleteOutcome.Removed("idle"), gone);
        assertFalse(gone.accepted());
        assertThrows(NotFoundException.class, () -> projects.get("idle"));

        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1"));
        cp.tick();
        projects.reportStatus("p1", "w1", new ProjectStatusReport(ProjectPhase.RUNNING, "Started", null));
        ProjectDeleteOutcome terminating = projects.delete("p1", false);
        assertTrue(terminating.accepted());
        assertEquals(ProjectPhase.TERMINATING, ((ProjectDeleteOutcome.Terminating) terminating).project().phase());
        assertTrue(projects.delete("p1", false).accepted(), "Terminating again is 202");
        ConflictException blocked = assertThrows(ConflictException.class, () -> cp.delete("w1"));
        assertTrue(blocked.getMessage().contains("p1 (Terminating)"), blocked.getMessage());

        projects.reportStatus("p1", "w1", new ProjectStatusReport(ProjectPhase.TERMINATED, null, null));
        cp.tick();
        assertThrows(NotFoundException.class, () -> projects.get("p1"));
        assertTrue(events.stream().anyMatch(e -> e.kind() == ProjectEvent.Kind.REMOVED && e.project().equals("p1")));
        cp.delete("w1"); // nothing holds it now
    }

    @Test
    void forcedDeleteRemovesARunningProjectAtOnce() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1"));
        cp.tick();
        assertEquals(ProjectPhase.SCHEDULED, projects.get("p1").phase());
        assertEquals(new ProjectDeleteOutcome.Removed("p1"), projects.delete("p1", true));
        assertThrows(NotFoundException.class, () -> projects.get("p1"));
    }

    @Test
    void agentReportsFromAnotherNodeOrAnIllegalStepAreConflictsNamingThePhases() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1"));
        cp.tick();
        assertThrows(ConflictException.class,
                () -> projects.reportStatus("p1", "w2", new ProjectStatusReport(ProjectPhase.RUNNING, null, null)));
        ConflictException step = assertThrows(ConflictException.class,
                () -> projects.reportStatus("p1", "w1", new ProjectStatusReport(ProjectPhase.TERMINATED, null, null)));
        assertTrue(step.getMessage().contains("Scheduled") && step.getMessage().contains("Terminated"), step.getMessage());
        assertThrows(NotFoundException.class,
                () -> projects.reportStatus("nope", "w1", new ProjectStatusReport(ProjectPhase.RUNNING, null, null)));
    }

    @Test
    void aReportForItsNodeSpeaksForTheBoundNodeAndRefusesAnUnboundProject() {
        projects.create(project("p1", "1"));
        ConflictException unbound = assertThrows(ConflictException.class,
                () -> projects.reportStatusForItsNode("p1", new ProjectStatusReport(ProjectPhase.RUNNING, null, null)));
        assertTrue(unbound.getMessage().contains("\"p1\" is not bound to a node"), unbound.getMessage());
        assertEquals(ProjectPhase.PENDING, projects.get("p1").phase());

        readyNode("w1", "2", "4Gi", "a");
        cp.tick();
        Project running = projects.reportStatusForItsNode("p1", new ProjectStatusReport(ProjectPhase.RUNNING, "Started", null));
        assertEquals(ProjectPhase.RUNNING, running.phase());
        assertEquals("w1", running.status().nodeRef());
        assertThrows(NotFoundException.class,
                () -> projects.reportStatusForItsNode("nope", new ProjectStatusReport(ProjectPhase.RUNNING, null, null)));
    }

    @Test
    void listFiltersByPhasesOredNodeAndLabels() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(Project.builder("a").service("web", "x").label("team", "red").request("cpu", "1").build());
        projects.create(Project.builder("b").service("web", "x").label("team", "blue").request("cpu", "8").build());
        cp.tick();
        projects.create(Project.builder("c").service("web", "x").label("team", "red").request("cpu", "8").build());
        projects.reportStatus("a", "w1", new ProjectStatusReport(ProjectPhase.RUNNING, null, null));
        assertEquals(List.of("a", "b", "c"), names(projects.list(ProjectFilter.ALL)));
        assertEquals(List.of("a"), names(projects.list(ProjectFilter.onNode("w1"))));
        assertEquals(List.of("a", "b", "c"), names(projects.list(ProjectFilter.inPhases(ProjectPhase.RUNNING, ProjectPhase.PENDING))));
        assertEquals(List.of("c"), names(projects.list(new ProjectFilter(Set.of(ProjectPhase.PENDING), null,
                LabelSelector.parse("team=red")))));
    }

    @Test
    void describeNodeAllocationListsItsProjectsAndWhatTheyReserve() {
        readyNode("w1", "4", "4Gi", "a");
        projects.create(project("p1", "1"));
        projects.create(project("p2", "500m"));
        cp.tick();
        NodeAllocation a = projects.describeNodeAllocation("w1");
        assertEquals(List.of("p1", "p2"), names(a.projects()));
        assertEquals("1500m", a.reserved().amount("cpu").toString());
        assertEquals("4", a.allocatable().amount("cpu").toString());
        assertThrows(NotFoundException.class, () -> projects.describeNodeAllocation("nope"));
    }

    @Test
    void anExpiredProjectTurnsTerminatingAndAPendingOneIsRemoved() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(Project.builder("runs").service("web", "x").expireAt(time.instant().plusSeconds(60)).build());
        projects.create(Project.builder("waits").service("web", "x").request("cpu", "8")
                .expireAt(time.instant().plusSeconds(60)).build());
        cp.tick();
        time.advance(Duration.ofSeconds(60));
        heartbeat("w1", "2", "4Gi");
        cp.tick(); // the recheck the lifecycle asked for is due: no resync needed
        assertEquals(ProjectPhase.TERMINATING, projects.get("runs").phase());
        assertThrows(NotFoundException.class, () -> projects.get("waits"));
        assertEquals(2, events.stream().filter(e -> e.kind() == ProjectEvent.Kind.EXPIRED).count());
    }

    @Test
    void aProjectOnANodeNotReadyPastTheGracePeriodIsRescheduledAndADrainingNodeKeepsIt() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1"));
        cp.tick();
        cp.setUnschedulable("w1", true);
        time.advance(Duration.ofHours(1));
        heartbeat("w1", "2", "4Gi");
        cp.tick();
        assertEquals("w1", projects.get("p1").status().nodeRef(), "Draining never moves a project");

        cp.setUnschedulable("w1", false);
        readyNode("w2", "2", "4Gi", "a");
        time.advance(TIMEOUT.plusSeconds(1)); // both silent: NotReady
        heartbeat("w2", "2", "4Gi");
        cp.tick();
        assertEquals(NodeState.NOT_READY, cp.get("w1").state());
        time.advance(TIMEOUT.multipliedBy(3).minusSeconds(1));
        heartbeat("w2", "2", "4Gi");
        cp.tick();
        assertEquals("w1", projects.get("p1").status().nodeRef(), "within the grace period");
        time.advance(Duration.ofSeconds(1));
        heartbeat("w2", "2", "4Gi");
        cp.tick();
        Project moved = projects.get("p1");
        assertEquals("w2", moved.status().nodeRef(), "back to Pending and bound again in the same pass");
        assertTrue(events.stream().anyMatch(e -> e.kind() == ProjectEvent.Kind.RESCHEDULED));
    }

    @Test
    void notReadyMarksOfDeletedNodesAreDropped() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1"));
        cp.tick();
        assertEquals("w1", projects.get("p1").status().nodeRef());
        // A deletion is a node change the controllers observe (the name is then missing, so marked):
        // each deleted node used to keep its mark for as long as the leader lived.
        for (int i = 0; i < 5; i++) {
            readyNode("gone-" + i, "2", "4Gi", "a");
        }
        cp.tick();
        for (int i = 0; i < 5; i++) {
            cp.delete("gone-" + i);
        }
        cp.tick();
        time.advance(TIMEOUT.plusSeconds(1));
        cp.tick(); // w1 silent: NotReady and marked, still within its grace period
        assertEquals("w1", projects.get("p1").status().nodeRef());
        assertEquals(1, cp.notReadyMarks(), "only the node a project holds keeps a mark");
    }

    @Test
    void aNewLeaderStartsWithoutNotReadyMarksSoEveryNodeGetsAFullGracePeriod() {
        readyNode("w1", "2", "4Gi", "a");
        projects.create(project("p1", "1"));
        cp.tick();
        time.advance(TIMEOUT.plusSeconds(1));
        cp.tick(); // w1 silent: NotReady, marked now
        time.advance(Duration.ofSeconds(200));
        cp.tick();
        cp.close();
        ControlPlane next = ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(TIMEOUT)
                .manualTicks(true).build().start();
        try {
            next.tick(); // the new leader marks w1 from now, not from 200 s ago
            time.advance(TIMEOUT.multipliedBy(3).minusSeconds(1));
            next.tick();
            assertEquals("w1", next.projects().get("p1").status().nodeRef(), "a full grace period from the new leader's start");
            time.advance(Duration.ofSeconds(1));
            next.tick();
            assertEquals(ProjectPhase.PENDING, next.projects().get("p1").phase());
        } finally {
            next.close();
        }
    }

    @Test
    void watchProjectsSendsTheCurrentOnesThenChanges() throws Exception {
        projects.create(project("p1", "1"));
        LinkedBlockingQueue<ProjectWatchEvent> seen = new LinkedBlockingQueue<>();
        Watch w = projects.watch(ProjectFilter.ALL, seen::add, reason -> { });
        ProjectWatchEvent first = seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals(WatchEvent.Type.ADDED, first.type());
        readyNode("w1", "2", "4Gi", "a");
        cp.tick();
        cp.pumpWatches();
        ProjectWatchEvent bound = seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(bound);
        assertEquals(WatchEvent.Type.MODIFIED, bound.type());
        assertEquals("w1", bound.object().status().nodeRef());
        projects.delete("p1", true);
        cp.pumpWatches();
        assertEquals(WatchEvent.Type.DELETED, seen.poll(10, TimeUnit.SECONDS).type());
        w.close();
    }

    @Test
    void aStoreWithoutProjectsRunsTheControlPlaneAndSaysWhyWhenAsked() {
        ControlPlane plain = ControlPlane.builder().store(new ForwardingStore(MemoryStore.create())).manualTicks(true).build().start();
        try {
            UnsupportedOperationException why = assertThrows(UnsupportedOperationException.class, plain::projects);
            assertTrue(why.getMessage().contains("keeps no projects"), why.getMessage());
            plain.tick();
        } finally {
            plain.close();
        }
    }

    private static List<String> names(List<Project> ps) {
        return ps.stream().map(Project::name).toList();
    }
}
