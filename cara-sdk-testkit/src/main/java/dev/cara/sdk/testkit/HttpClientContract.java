package dev.cara.sdk.testkit;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
 *
 * <p>The cases come in groups, one class each: {@link HttpClientContractBase} (the scripted server and the
 * helpers) <- {@link HttpClientTlsContract} (token and TLS) <- {@link HttpClientProjectContract}
 * (projects) <- this class (nodes, problems, failures, watches). Extend this class; JUnit runs the whole chain.
 */
public abstract class HttpClientContract extends HttpClientProjectContract {
    @Test
    void registerSendsTheManifestAndReadsTheNode() {
        Node stored = Node.builder("w1").hostname("w1.lan").build();
        server.answer(201, "application/json", CaraJson.toJson(stored));
        try (CaraClient c = client()) {
            Node n = c.register(Node.builder("w1").hostname("w1.lan").build());
            assertEquals("w1.lan", n.spec().hostname());
        }
        assertSent(0, "POST /api/v1/nodes application/json {");
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
        server.answer(200, "application/json", EMPTY_NODE_LIST);
        try (CaraClient c = client()) {
            assertEquals(0, c.list(LabelSelector.parse("zone in (a,b)")).items().size());
        }
        assertSent(0, "GET /api/v1/nodes?labelSelector=zone%20in%20%28a%2Cb%29 ");
    }

    @Test
    void heartbeatAndDeleteExpectNoContent() {
        server.answer(204, null, "");
        server.answer(204, null, "");
        try (CaraClient c = client()) {
            c.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
            c.delete("w1");
        }
        assertSent(0, "POST /api/v1/nodes/w1/heartbeat application/json {\"state\":\"Ready\"}");
        assertSent(1, "DELETE /api/v1/nodes/w1 ");
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
        assertSent(0, "GET /api/v1/nodes?watch=true&labelSelector=app%3Dweb ");
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
}
