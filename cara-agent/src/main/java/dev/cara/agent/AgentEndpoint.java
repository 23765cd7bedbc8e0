package dev.cara.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Durations;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Ticker;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent's own small HTTP endpoint: {@code GET /healthz} (registered, last heartbeat age,
 * connection state) and {@code GET /info} (what the agent reports).
 *
 * <p>It uses the JDK's {@code com.sun.net.httpserver}: two read-only JSON routes on every machine of
 * the fleet do not justify a web framework's megabytes and start-up time, and the agent stays one
 * small process. {@code /healthz} answers 200 whenever the agent process works, with the state in the
 * body: a liveness probe that restarted the agent on "deleted" or "disconnected" would only re-register
 * a deleted node or change nothing.
 */
public final class AgentEndpoint implements AutoCloseable {
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;

    /** What the endpoint shows; the loop's status is read on each request. */
    public record Source(Supplier<AgentStatus> status, Supplier<HeartbeatReport> preview, Ticker ticker,
                         String server, Duration interval, Map<String, String> labels) {
        public Source {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(preview, "preview");
            Objects.requireNonNull(ticker, "ticker");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(interval, "interval");
            labels = Map.copyOf(labels);
        }
    }

    private AgentEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param port 0 picks a free port (see {@link #port()})
     * @throws AgentException naming the address when it cannot be bound
     */
    public static AgentEndpoint start(String address, int port, Source source) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new AgentException("cannot listen on " + address + ":" + port + " for the agent's health endpoint: "
                    + e.getMessage() + "; set AGENT_LISTEN_PORT (or --listen-port) to a free port", e);
        }
        // Requests are rare and short; one virtual thread each keeps the agent free of a thread pool to size.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, source));
        server.start();
        return new AgentEndpoint(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void serve(HttpExchange exchange, Source source) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = "/healthz".equals(path) || "/info".equals(path);
            if (!known) {
                send(exchange, 404, problem(404, "Not Found", "no such endpoint: " + path + "; try GET /healthz or GET /info"));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, problem(405, "Method Not Allowed", path + " only answers GET"));
                return;
            }
            JsonObject body = "/healthz".equals(path) ? health(source) : info(source);
            send(exchange, 200, body);
        } catch (RuntimeException e) {
            send(exchange, 500, problem(500, "Internal Server Error", HeartbeatLoop.describe(e)));
        }
    }

    static JsonObject health(Source source) {
        AgentStatus s = source.status().get();
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("status", summary(s))
                .add("node", s.nodeName())
                .add("phase", s.phase().wireName())
                .add("registered", s.registered())
                .add("deleted", s.phase() == AgentStatus.Phase.DELETED)
                .add("connection", s.connection().wireName())
                .add("server", source.server())
                .add("heartbeats", s.heartbeats())
                .add("failuresInARow", s.failuresInARow());
        if (s.lastHeartbeatTick().isPresent()) {
            long ageNanos = source.ticker().read() - s.lastHeartbeatTick().getAsLong();
            b.add("lastHeartbeatAgeSeconds", Math.round(ageNanos / 1e6) / 1e3);
        } else {
            b.addNull("lastHeartbeatAgeSeconds");
        }
        s.lastProblem().ifPresent(p -> b.add("lastError", p));
        return b.build();
    }

    /** One word for dashboards: ok, starting, disconnected, deleted or stopped. */
    static String summary(AgentStatus s) {
        return switch (s.phase()) {
            case DELETED -> "deleted";
            case STOPPED -> "stopped";
            case REGISTERING -> s.connection() == AgentStatus.Connection.LOST ? "disconnected" : "starting";
            case REGISTERED -> s.connection() == AgentStatus.Connection.LOST ? "disconnected" : "ok";
        };
    }

    static JsonObject info(Source source) {
        AgentStatus s = source.status().get();
        HeartbeatReport report = s.lastReport().orElseGet(source.preview());
        JsonObjectBuilder labels = Json.createObjectBuilder();
        source.labels().forEach(labels::add);
        return Json.createObjectBuilder()
                .add("node", s.nodeName())
                .add("server", source.server())
                .add("heartbeatInterval", Durations.format(source.interval()))
                .add("labels", labels)
                .add("report", wireTree(report))
                .build();
    }

    /** The report as the wire format writes it, as a tree to nest in the answer. */
    private static JsonObject wireTree(HeartbeatReport report) {
        try (JsonReader reader = Json.createReader(new StringReader(CaraJson.toJson(report)))) {
            return reader.readObject();
        }
    }

    private static JsonObject problem(int status, String title, String detail) {
        return Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .build();
    }

    private static void send(HttpExchange exchange, int status, JsonObject body) {
        try {
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : JSON);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // The caller went away mid-answer: there is nobody left to tell.
        }
    }
}
