package dev.cara.sdk.testkit;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.HttpCaraClientBuilder;
import dev.cara.sdk.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every group of {@link HttpClientContract}'s cases starts from: a scripted server per test, the
 * builder a transport's test overrides, and the helpers that queue answers and check what was sent.
 * Extend {@link HttpClientContract}, which runs every group; this class only holds what they share.
 */
public abstract class HttpClientContractBase {
    // One of each per test, made by start() and closed by stop(); JUnit runs a test on one thread.
    ScriptedHttpServer server;
    URI base;
    List<String> seen; // the server's record of each request it answered, in order

    static final String EMPTY_NODE_LIST = "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"NodeList\",\"items\":[]}";

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

    CaraClient client() {
        return builder().baseUrl(base).requestTimeout(Duration.ofSeconds(5)).build();
    }

    /** Queues a problem answer (RFC 9457) with this status, type URI and detail. */
    void answerProblem(int status, String type, String detail) {
        server.answer(status, Problem.MEDIA_TYPE, CaraJson.toJson(new Problem(type, "t", status, detail, null)));
    }

    /** Checks that the {@code i}th request the server saw starts with {@code start} (method, target, type, body). */
    void assertSent(int i, String start) {
        assertTrue(seen.get(i).startsWith(start), seen.get(i));
    }
}
