package dev.cara.sdk.testkit;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectList;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.WatchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpClientContract}'s cases for projects: the paths, the filters, the delete outcomes, the
 * problems and the project watch. Extend {@link HttpClientContract}, which runs these with the others.
 */
public abstract class HttpClientProjectContract extends HttpClientTlsContract {
    private static Project running(String name) {
        return ProjectFixtures.project(name).withStatus(ProjectFixtures.status(ProjectPhase.RUNNING, "w1", 1));
    }

    @Test
    void createProjectPostsTheManifestAndReadsTheProject() {
        server.answer(201, "application/json", CaraJson.toJson(ProjectFixtures.project("web")));
        try (CaraClient c = client()) {
            Project p = c.createProject(Project.builder("web").service("web", "nginx:alpine").build());
            assertEquals("web", p.name());
            assertEquals(ProjectPhase.PENDING, p.phase());
        }
        assertSent(0, "POST /api/v1/projects application/json {");
        assertTrue(seen.get(0).contains("\"kind\":\"Project\""), seen.get(0));
    }

    @Test
    void getAndUpdateProjectUseTheProjectsPath() {
        server.answer(200, "application/json", CaraJson.toJson(running("web")));
        server.answer(200, "application/json", CaraJson.toJson(running("web")));
        try (CaraClient c = client()) {
            Project p = c.getProject("web");
            assertEquals(ProjectPhase.RUNNING, p.phase());
            assertEquals("w1", p.status().nodeRef());
            c.updateProject(p);
        }
        assertSent(0, "GET /api/v1/projects/web ");
        assertSent(1, "PUT /api/v1/projects/web application/json {");
    }

    @Test
    void listProjectsSendsPhasesOredNodeRefAndSelector() {
        String empty = CaraJson.toJson(ProjectList.of(List.of()));
        server.answer(200, "application/json", CaraJson.toJson(ProjectList.of(List.of(running("a"), running("b")))));
        server.answer(200, "application/json", empty);
        try (CaraClient c = client()) {
            assertEquals(List.of("a", "b"), c.listProjects().items().stream().map(Project::name).toList());
            c.listProjects(new ProjectFilter(Set.of(ProjectPhase.RUNNING, ProjectPhase.PENDING), "w 1",
                    LabelSelector.parse("app=web")));
        }
        assertSent(0, "GET /api/v1/projects ");
        assertSent(1, "GET /api/v1/projects?phase=Pending&phase=Running&nodeRef=w%201&labelSelector=app%3Dweb ");
    }

    @Test
    void deleteProjectTellsRemovedFromTerminating() {
        server.answer(204, null, "");
        Project terminating = ProjectFixtures.project("web").withStatus(ProjectFixtures.status(ProjectPhase.TERMINATING, "w1", 2));
        server.answer(202, "application/json", CaraJson.toJson(terminating));
        server.answer(204, null, "");
        try (CaraClient c = client()) {
            assertEquals(new ProjectDeleteOutcome.Removed("web"), c.deleteProject("web", false));
            ProjectDeleteOutcome t = c.deleteProject("web", false);
            ProjectDeleteOutcome.Terminating term = assertInstanceOf(ProjectDeleteOutcome.Terminating.class, t);
            assertEquals(ProjectPhase.TERMINATING, term.project().phase());
            assertTrue(t.accepted());
            assertFalse(c.deleteProject("web", true).accepted());
        }
        assertSent(0, "DELETE /api/v1/projects/web ");
        assertSent(2, "DELETE /api/v1/projects/web?force=true ");
    }

    @Test
    void projectProblemsBecomeTypedExceptionsNamingTheProject() {
        answerProblem(404, "https://cara.dev/problems/not-found", "project \"web\" not found");
        answerProblem(409, "https://cara.dev/problems/already-exists", "taken");
        answerProblem(409, "https://cara.dev/problems/conflict", "project \"web\" is Running");
        try (CaraClient c = client()) {
            assertEquals("web", assertThrows(NotFoundException.class, () -> c.deleteProject("web", false)).name());
            assertInstanceOf(AlreadyExistsException.class, assertThrows(ConflictException.class,
                    () -> c.createProject(ProjectFixtures.project("web"))));
            ConflictException e = assertThrows(ConflictException.class, () -> c.updateProject(ProjectFixtures.project("web")));
            assertTrue(e.getMessage().contains("Running"), e.getMessage());
            assertThrows(InvalidException.class, () -> c.getProject("Web_1"));
        }
        assertEquals(3, seen.size());
    }

    @Test
    void reportProjectStatusPatchesThePhaseReasonAndMessage() {
        org.junit.jupiter.api.Assumptions.assumeTrue(sendsPatch(), "this transport cannot send PATCH");
        server.answer(200, "application/json", CaraJson.toJson(running("web")));
        try (CaraClient c = client()) {
            Project p = c.reportProjectStatus("web", new ProjectStatusReport(ProjectPhase.RUNNING, "Started", "2 services up"));
            assertEquals(ProjectPhase.RUNNING, p.phase());
        }
        assertEquals("PATCH /api/v1/projects/web/status application/json "
                + "{\"phase\":\"Running\",\"reason\":\"Started\",\"message\":\"2 services up\"}", seen.get(0));
    }

    @Test
    void watchProjectsStreamsEventsSkippingKeepAlives() throws InterruptedException {
        Project p = running("web");
        String stream = "\n" + CaraJson.toJson(new ProjectWatchEvent(WatchEvent.Type.ADDED, p)) + "\n\n"
                + CaraJson.toJson(new ProjectWatchEvent(WatchEvent.Type.MODIFIED, p)) + "\n \n"
                + CaraJson.toJson(new ProjectWatchEvent(WatchEvent.Type.DELETED, p)) + "\n";
        server.answer(200, "application/x-ndjson", stream);
        List<ProjectWatchEvent> events = new CopyOnWriteArrayList<>();
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        try (CaraClient c = client()) {
            c.watchProjects(ProjectFilter.onNode("w1"), events::add, closed::add);
            String reason = closed.poll(30, TimeUnit.SECONDS);
            assertTrue(reason != null && reason.contains("ended the watch"), String.valueOf(reason));
        }
        assertEquals(List.of(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED),
                events.stream().map(ProjectWatchEvent::type).toList());
        assertEquals(p, events.get(0).object());
        assertSent(0, "GET /api/v1/projects?watch=true&nodeRef=w1 ");
    }

    @Test
    void aProjectWatchEventCaraCannotReadEndsTheWatchSayingSo() throws InterruptedException {
        server.answer(200, "application/x-ndjson", "{\"type\":\"ADDED\",\"object\":{\"metadata\":{}}}\n");
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        try (CaraClient c = client()) {
            c.watchProjects(ProjectFilter.ALL, e -> { }, closed::add);
            String reason = closed.poll(30, TimeUnit.SECONDS);
            assertTrue(reason != null && reason.contains("watch event cara cannot read"), String.valueOf(reason));
        }
        assertSent(0, "GET /api/v1/projects?watch=true ");
    }
}
