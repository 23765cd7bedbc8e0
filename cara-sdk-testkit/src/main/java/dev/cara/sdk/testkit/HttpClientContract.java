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
 * failures to the SDK's exceptions, and the bearer token and TLS settings (a CA file, a client
 * certificate, skipping verification). The TLS tests make their certificates with
 * {@link TestCertificates}, so a module that runs this contract adds {@code bcpkix-jdk18on} with test scope.
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

    /** Queues a problem answer (RFC 9457) with this status, type URI and detail. */
    private void answerProblem(int status, String type, String detail) {
        server.answer(status, Problem.MEDIA_TYPE, CaraJson.toJson(new Problem(type, "t", status, detail, null)));
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
    void aBootstrapRegistrationHandsTheNodeCredentialToTheCallerBeforeReturning() {
        Node stored = Node.builder("w1").build();
        server.answer(new ScriptedHttpServer.Answer(201, "application/json", CaraJson.toJson(stored), false,
                java.util.Map.of("Cara-Node-Token", "cara_0123456789abcdef_secret")));
        server.answer(201, "application/json", CaraJson.toJson(stored));
        List<String> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CaraClient c = builder().baseUrl(base).requestTimeout(Duration.ofSeconds(5)).onNodeCredential(handed::add).build()) {
            c.register(Node.builder("w1").build());
            assertEquals(List.of("cara_0123456789abcdef_secret"), handed);
            c.register(Node.builder("w1").build()); // no header, nothing handed out
            assertEquals(1, handed.size());
        }
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
        answerProblem(404, "https://cara.dev/problems/not-found", "node \"w1\" not found");
        answerProblem(409, "https://cara.dev/problems/already-exists", "taken");
        answerProblem(409, "https://cara.dev/problems/conflict", "stale");
        answerProblem(400, "https://cara.dev/problems/invalid", "state: \"ready\" is invalid");
        answerProblem(503, "https://cara.dev/problems/unavailable", "store down");
        answerProblem(401, "https://cara.dev/problems/unauthenticated", "the token has expired");
        answerProblem(403, "https://cara.dev/problems/forbidden", "viewers may only read");
        answerProblem(429, "https://cara.dev/problems/too-many-requests", "retry in 2 s");
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
            assertEquals("the token has expired", assertThrows(dev.cara.sdk.UnauthorizedException.class, () -> c.get("w1")).getMessage());
            assertEquals("viewers may only read", assertThrows(dev.cara.sdk.ForbiddenException.class, () -> c.delete("w1")).getMessage());
            assertEquals("retry in 2 s", assertThrows(dev.cara.sdk.RateLimitedException.class, () -> c.get("w1")).getMessage());
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
        answerProblem(400, "about:blank", "labelSelector: bad");
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

    // ------------------------------------------------------------------ tokens and TLS

    @Test
    void theBearerTokenIsSentWithEveryRequestAndAFileIsReadAgainEachTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path file = dir.resolve("token");
        java.nio.file.Files.writeString(file, "cara_first\n");
        server.answer(204, null, "");
        server.answer(204, null, "");
        try (CaraClient c = builder().baseUrl(base).bearerToken(dev.cara.sdk.BearerToken.file(file)).build()) {
            c.heartbeat("w1", HeartbeatReport.EMPTY);
            java.nio.file.Files.writeString(file, "cara_rotated\n");
            c.heartbeat("w1", HeartbeatReport.EMPTY);
        }
        assertEquals(List.of("Bearer cara_first", "Bearer cara_rotated"), server.authorizations);
    }

    @Test
    void theTokenNeverAppearsInAnErrorOrInToString() {
        String token = "cara_0123456789abcdef_" + "9".repeat(40);
        answerProblem(401, "https://cara.dev/problems/unauthenticated", "the bearer token is not valid");
        try (CaraClient c = builder().baseUrl(base).bearerToken(token).build()) {
            CaraException e = assertThrows(CaraException.class, () -> c.delete("w1"));
            assertFalse(e.getMessage().contains("9999"), e.getMessage());
            assertFalse(c.toString().contains("9999"), c.toString());
        }
        assertFalse(dev.cara.sdk.BearerToken.of(token).toString().contains("9999"));
    }

    @Test
    void httpsWithTheServersCaFileVerifiesItAndPresentsAClientCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        TestCertificates ca = TestCertificates.authority("contract CA");
        TestCertificates.Issued serverCert = ca.localhostServer();
        TestCertificates.Paths client = ca.client("w1").writeTo(dir, "client");
        try (ScriptedHttpServer https = ScriptedHttpServer.tls(serverContext(serverCert, ca), true)) {
            https.answer(200, "application/json", EMPTY_NODE_LIST);
            try (CaraClient c = builder().baseUrl(https.url()).trustedCertificates(ca.writeCertificate(dir.resolve("ca.crt")))
                    .clientCertificate(client.certificate(), client.key()).bearerToken("cara_t").build()) {
                assertEquals(0, c.list(LabelSelector.everything()).items().size());
            }
            assertEquals(List.of("CN=w1"), https.clientCertificates);
            assertEquals(List.of("Bearer cara_t"), https.authorizations);
        }
    }

    @Test
    void httpsRefusesAServerItsCaFileDoesNotVouchFor(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        TestCertificates ca = TestCertificates.authority("contract CA");
        TestCertificates other = TestCertificates.authority("someone else");
        try (ScriptedHttpServer https = ScriptedHttpServer.tls(serverContext(ca.localhostServer(), ca), false)) {
            https.answer(200, "application/json", EMPTY_NODE_LIST);
            try (CaraClient c = builder().baseUrl(https.url()).trustedCertificates(other.writeCertificate(dir.resolve("other.crt")))
                    .bearerToken("cara_secret_never_sent").build()) {
                UnavailableException e = assertThrows(UnavailableException.class, () -> c.list(LabelSelector.everything()));
                assertFalse(e.getMessage().contains("cara_secret_never_sent"), e.getMessage());
            }
            assertEquals(List.of(), https.authorizations, "no request reached the untrusted server");
        }
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyServer() throws IOException {
        TestCertificates ca = TestCertificates.authority("contract CA");
        TestCertificates.Issued wrongName = ca.server("elsewhere", List.of("elsewhere.example"), List.of());
        try (ScriptedHttpServer https = ScriptedHttpServer.tls(serverContext(wrongName, ca), false)) {
            https.answer(200, "application/json", EMPTY_NODE_LIST);
            try (CaraClient c = builder().baseUrl(https.url()).insecureSkipTlsVerify().build()) {
                assertEquals(0, c.list(LabelSelector.everything()).items().size());
            }
        }
    }

    private static final String EMPTY_NODE_LIST = "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"NodeList\",\"items\":[]}";

    private static javax.net.ssl.SSLContext serverContext(TestCertificates.Issued cert, TestCertificates ca) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", cert.keys().getPrivate(), new char[0],
                    new java.security.cert.Certificate[] {cert.certificate(), ca.certificate()});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            // The server trusts the same CA for client certificates.
            ctx.init(kmf.getKeyManagers(), ca.trustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
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
