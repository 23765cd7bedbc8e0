package dev.cara.sdk.testkit;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.HttpCaraClientBuilder;
import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Problem;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectList;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
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
 * The HTTP client against a scripted server: what it sends, and how it maps answers, problems and
 * failures to the SDK's exceptions.
 */
public abstract class HttpClientContract {
    private ScriptedHttpServer server;
    private URI base;
    private List<String> seen;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedHttpServer();
        base = URI.create(server.url());
        seen = server.seen;
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** The builder every test starts from: a transport's own contract test sets its transport here. */
    protected HttpCaraClientBuilder builder() {
        return CaraClient.httpBuilder();
    }

    /**
     * Whether the transport can send {@code PATCH} (an agent's status report); caractrl's
     * {@code HttpURLConnection} transport cannot, and its own test checks that it says so.
     */
    protected boolean sendsPatch() {
        return true;
    }

    private CaraClient client() {
        return builder().baseUrl(base).requestTimeout(Duration.ofSeconds(5)).build();
    }

    private static String problem(int status, String type, String detail) {
        return CaraJson.toJson(new Problem(type, "t", status, detail, null));
    }

    @Test
    void registerSendsTheManifestAndReadsTheNode() {
        Node stored = Node.builder("w1").hostname("w1.lan").build();
        server.answer(201, "application/json", CaraJson.toJson(stored));
        try (CaraClient c = client()) {
            Node n = c.register(Node.builder("w1").hostname("w1.lan").build());
            assertEquals("w1.lan", n.spec().hostname());
        }
        assertTrue(seen.get(0).startsWith("POST /api/v1/nodes application/json {"), seen.get(0));
    }

    @Test
    void listSendsTheLabelSelectorEncoded() {
        server.answer(200, "application/json", "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"NodeList\",\"items\":[]}");
        try (CaraClient c = client()) {
            assertEquals(0, c.list(LabelSelector.parse("zone in (a,b)")).items().size());
        }
        assertTrue(seen.get(0).startsWith("GET /api/v1/nodes?labelSelector=zone%20in%20%28a%2Cb%29 "), seen.get(0));
    }

    @Test
    void heartbeatAndDeleteExpectNoContent() {
        server.answer(204, null, "");
        server.answer(204, null, "");
        try (CaraClient c = client()) {
            c.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
            c.delete("w1");
        }
        assertTrue(seen.get(0).startsWith("POST /api/v1/nodes/w1/heartbeat application/json {\"state\":\"Ready\"}"), seen.get(0));
        assertTrue(seen.get(1).startsWith("DELETE /api/v1/nodes/w1 "), seen.get(1));
    }

    @Test
    void problemsBecomeTypedExceptions() {
        server.answer(404, Problem.MEDIA_TYPE, problem(404, "https://cara.dev/problems/not-found", "node \"w1\" not found"));
        server.answer(409, Problem.MEDIA_TYPE, problem(409, "https://cara.dev/problems/already-exists", "taken"));
        server.answer(409, Problem.MEDIA_TYPE, problem(409, "https://cara.dev/problems/conflict", "stale"));
        server.answer(400, Problem.MEDIA_TYPE, problem(400, "https://cara.dev/problems/invalid", "state: \"ready\" is invalid"));
        server.answer(503, Problem.MEDIA_TYPE, problem(503, "https://cara.dev/problems/unavailable", "store down"));
        try (CaraClient c = client()) {
            NotFoundException nf = assertThrows(NotFoundException.class, () -> c.get("w1"));
            assertEquals("w1", nf.name());
            assertEquals("node \"w1\" not found", nf.getMessage());
            assertInstanceOf(AlreadyExistsException.class, assertThrows(ConflictException.class,
                    () -> c.register(Node.builder("w1").build())));
            ConflictException stale = assertThrows(ConflictException.class, () -> c.update(Node.builder("w1").build()));
            assertEquals(ConflictException.class, stale.getClass());
            InvalidException bad = assertThrows(InvalidException.class, () -> c.heartbeat("w1", HeartbeatReport.EMPTY));
            assertTrue(bad.getMessage().contains("\"ready\""), bad.getMessage());
            assertThrows(UnavailableException.class, () -> c.get("w1"));
        }
    }

    @Test
    void anAnswerThatIsNotProblemJsonStillNamesTheStatusAndTheServer() {
        server.answer(502, "text/html", "<html>Bad Gateway</html>");
        server.answer(500, "application/json", "[1,2]");
        try (CaraClient c = client()) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> c.get("w1"));
            assertTrue(e.getMessage().contains("answered 502 to GET /api/v1/nodes/w1"), e.getMessage());
            assertTrue(e.getMessage().contains(base.toString()), e.getMessage());
            CaraException other = assertThrows(CaraException.class, () -> c.get("w1"));
            assertTrue(other.getMessage().contains("answered 500"), other.getMessage());
        }
    }

    @Test
    void anUnreadableSuccessSaysSo() {
        server.answer(200, "application/json", "{\"metadata\":{}}");
        try (CaraClient c = client()) {
            CaraException e = assertThrows(CaraException.class, () -> c.get("w1"));
            assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
        }
    }

    @Test
    void anUnreachableServerIsUnavailableAndNamesTheUrl() throws IOException {
        try (Socket reserved = Ports.closedPort()) {
            URI nowhere = URI.create("http://127.0.0.1:" + reserved.getLocalPort());
            try (CaraClient c = builder().baseUrl(nowhere).connectTimeout(Duration.ofSeconds(2)).build()) {
                UnavailableException e = assertThrows(UnavailableException.class, () -> c.get("w1"));
                assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
                assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
            }
        }
    }

    @Test
    void aSilentServerTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CaraClient c = builder().baseUrl("http://127.0.0.1:" + silent.getLocalPort())
                     .requestTimeout(Duration.ofMillis(300)).build()) {
            UnavailableException e = assertThrows(UnavailableException.class, c::serverVersion);
            assertTrue(e.getMessage().contains("did not answer GET /api/v1/version within 300ms"), e.getMessage());
        }
    }

    @Test
    void anHttpsClientStillNegotiatesTls() throws IOException {
        // http:// clients get a context that refuses TLS (to skip loading the trust store); an
        // https:// client must get the JDK's real one, so here it starts a handshake, which the
        // silent server never answers: the connection times out instead of being refused as plaintext.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CaraClient c = builder().baseUrl("https://127.0.0.1:" + silent.getLocalPort())
                     .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofMillis(300)).build()) {
            UnavailableException e = assertThrows(UnavailableException.class, c::serverVersion);
            assertTrue(e.getMessage().contains("no connection within the connect timeout"), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(t instanceof UnsupportedOperationException, "an https client was given the plaintext context");
            }
        }
    }

    @Test
    void invalidNamesAreRefusedBeforeSending() {
        try (CaraClient c = client()) {
            InvalidException e = assertThrows(InvalidException.class, () -> c.get("Web_1"));
            assertTrue(e.getMessage().contains("\"Web_1\""), e.getMessage());
        }
        assertTrue(seen.isEmpty());
    }

    @Test
    void badBaseUrlsAreRefused() {
        assertThrows(InvalidException.class, () -> builder().baseUrl("ftp://x"));
        assertThrows(InvalidException.class, () -> builder().baseUrl("localhost:8080"));
        assertThrows(IllegalStateException.class, () -> builder().build());
    }

    @Test
    void watchStreamsEventsThenReportsTheEnd() throws InterruptedException {
        Node n = Node.builder("w1").build();
        String stream = CaraJson.toJson(new WatchEvent(WatchEvent.Type.ADDED, n)) + "\n\n"
                + CaraJson.toJson(new WatchEvent(WatchEvent.Type.DELETED, n)) + "\n";
        server.answer(200, "application/x-ndjson", stream);
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        try (CaraClient c = client()) {
            Watch w = c.watch(LabelSelector.parse("app=web"), events::add, closed::add);
            String reason = closed.poll(30, TimeUnit.SECONDS);
            assertTrue(reason != null && reason.contains("ended the watch"), String.valueOf(reason));
            assertEquals(List.of(WatchEvent.Type.ADDED, WatchEvent.Type.DELETED), events.stream().map(WatchEvent::type).toList());
            assertTrue(!w.isOpen());
        }
        assertTrue(seen.get(0).startsWith("GET /api/v1/nodes?watch=true&labelSelector=app%3Dweb "), seen.get(0));
    }

    @Test
    void aRefusedWatchThrowsAtOnce() {
        server.answer(400, Problem.MEDIA_TYPE, problem(400, "about:blank", "labelSelector: bad"));
        try (CaraClient c = client()) {
            assertThrows(InvalidException.class, () -> c.watch(LabelSelector.everything(), e -> { }, r -> { }));
        }
    }

    @Test
    void closingAWatchReportsClosedOnce() {
        // Headers and then nothing: the watch stays open until closed.
        server.answer(new ScriptedHttpServer.Answer(200, "application/x-ndjson", "", true));
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (CaraClient c = client()) {
            Watch w = c.watch(LabelSelector.everything(), e -> { }, reasons::add);
            assertTrue(w.isOpen());
            w.close();
            w.close();
            assertFalse(w.isOpen());
            assertEquals(List.of("closed"), reasons);
        }
    }

    // ------------------------------------------------------------------ projects

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
        assertTrue(seen.get(0).startsWith("POST /api/v1/projects application/json {"), seen.get(0));
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
        assertTrue(seen.get(0).startsWith("GET /api/v1/projects/web "), seen.get(0));
        assertTrue(seen.get(1).startsWith("PUT /api/v1/projects/web application/json {"), seen.get(1));
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
        assertTrue(seen.get(0).startsWith("GET /api/v1/projects "), seen.get(0));
        assertTrue(seen.get(1).startsWith("GET /api/v1/projects?phase=Pending&phase=Running&nodeRef=w%201&labelSelector=app%3Dweb "),
                seen.get(1));
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
        assertTrue(seen.get(0).startsWith("DELETE /api/v1/projects/web "), seen.get(0));
        assertTrue(seen.get(2).startsWith("DELETE /api/v1/projects/web?force=true "), seen.get(2));
    }

    @Test
    void projectProblemsBecomeTypedExceptionsNamingTheProject() {
        server.answer(404, Problem.MEDIA_TYPE, problem(404, "https://cara.dev/problems/not-found", "project \"web\" not found"));
        server.answer(409, Problem.MEDIA_TYPE, problem(409, "https://cara.dev/problems/already-exists", "taken"));
        server.answer(409, Problem.MEDIA_TYPE, problem(409, "https://cara.dev/problems/conflict", "project \"web\" is Running"));
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
        assertTrue(seen.get(0).startsWith("GET /api/v1/projects?watch=true&nodeRef=w1 "), seen.get(0));
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
        assertTrue(seen.get(0).startsWith("GET /api/v1/projects?watch=true "), seen.get(0));
    }
}
