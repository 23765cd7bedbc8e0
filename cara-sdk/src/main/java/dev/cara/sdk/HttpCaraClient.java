package dev.cara.sdk;

import dev.cara.sdk.spi.HttpTransport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link CaraClient} over HTTP/1.1, speaking the {@code caravanserai/v1} wire format through
 * {@link CaraJson}, over an {@link HttpTransport}: the JDK's {@code HttpClient} by default, or one the
 * program plugs in (see {@link HttpCaraClientBuilder#transport}).
 *
 * <p>Transports keep connections alive, so one instance should be shared by all the calls of a
 * program; it is thread-safe. Error answers (problem JSON) become the SDK's typed exceptions through
 * {@link Problem#toException}; a server that cannot be reached, or does not answer in time, becomes
 * an {@link UnavailableException} that names the URL.
 *
 * <p>Each watch reads its newline-delimited JSON stream on a daemon thread of its own, which owns
 * delivery to the watch's consumer.
 */
final class HttpCaraClient implements CaraClient {
    private static final int MAX_SHOWN_BODY = 200;

    private final URI baseUrl;
    private final String base; // baseUrl without a trailing slash, for concatenating paths
    private final Duration requestTimeout;
    private final HttpTransport transport;
    private final java.util.function.Consumer<String> onNodeCredential;

    HttpCaraClient(URI baseUrl, Duration requestTimeout, HttpTransport transport, java.util.function.Consumer<String> onNodeCredential) {
        this.baseUrl = baseUrl;
        String text = baseUrl.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.requestTimeout = requestTimeout;
        this.transport = transport;
        this.onNodeCredential = onNodeCredential;
    }

    @Override
    public Node register(Node manifest) {
        Objects.requireNonNull(manifest, "manifest");
        HttpTransport.Answer answer = answer("POST", "/api/v1/nodes", CaraJson.toJson(manifest), manifest.name(), 201);
        Node stored = read(answer.body(), CaraJson::parseNode);
        answer.nodeToken().ifPresent(onNodeCredential);
        return stored;
    }

    @Override
    public Node get(String name) {
        return read(call("GET", nodePath(name), null, name, 200), CaraJson::parseNode);
    }

    @Override
    public NodeList list(LabelSelector selector) {
        Objects.requireNonNull(selector, "selector");
        return read(call("GET", "/api/v1/nodes" + selectorQuery(selector, "?"), null, null, 200), CaraJson::parseNodeList);
    }

    @Override
    public Node update(Node manifest) {
        return answer("PUT", nodePath(manifest.name()), CaraJson.toJson(manifest), manifest.name(), 200, CaraJson::parseNode);
    }

    @Override
    public void delete(String name) {
        call("DELETE", nodePath(name), null, name, 204);
    }

    @Override
    public void heartbeat(String name, HeartbeatReport report) {
        Objects.requireNonNull(report, "report");
        call("POST", nodePath(name) + "/heartbeat", CaraJson.toJson(report), name, 204);
    }

    @Override
    public VersionInfo serverVersion() {
        return read(call("GET", "/api/v1/version", null, null, 200), CaraJson::parseVersion);
    }

    @Override
    public Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose) {
        Objects.requireNonNull(selector, "selector");
        return stream("/api/v1/nodes?watch=true" + selectorQuery(selector, "&"), CaraJson::parseWatchEvent, events, onClose);
    }

    // ------------------------------------------------------------------ projects

    @Override
    public Project createProject(Project manifest) {
        return answer("POST", "/api/v1/projects", CaraJson.toJson(Objects.requireNonNull(manifest, "manifest")), manifest.name(), 201, CaraJson::parseProject);
    }

    @Override
    public Project getProject(String name) {
        return read(call("GET", projectPath(name), null, name, 200), CaraJson::parseProject);
    }

    @Override
    public ProjectList listProjects(ProjectFilter filter) {
        String query = filterQuery(filter);
        return read(call("GET", "/api/v1/projects" + (query.isEmpty() ? "" : "?" + query), null, null, 200),
                CaraJson::parseProjectList);
    }

    @Override
    public Project updateProject(Project manifest) {
        return answer("PUT", projectPath(manifest.name()), CaraJson.toJson(manifest), manifest.name(), 200,
                CaraJson::parseProject);
    }

    @Override
    public ProjectDeleteOutcome deleteProject(String name, boolean force) {
        HttpTransport.Answer answer = send("DELETE", projectPath(name) + (force ? "?force=true" : ""), null);
        return switch (answer.status()) {
            case 204 -> new ProjectDeleteOutcome.Removed(name);
            case 202 -> new ProjectDeleteOutcome.Terminating(read(answer.body(), CaraJson::parseProject));
            default -> throw failure(answer.status(), answer.contentType(), answer.body(), name, "DELETE", projectPath(name));
        };
    }

    @Override
    public Project reportProjectStatus(String name, ProjectStatusReport report) {
        return answer("PATCH", projectPath(name) + "/status", CaraJson.toJson(Objects.requireNonNull(report, "report")), name, 200, CaraJson::parseProject);
    }

    @Override
    public Watch watchProjects(ProjectFilter filter, Consumer<ProjectWatchEvent> events, Consumer<String> onClose) {
        String query = filterQuery(filter);
        return stream("/api/v1/projects?watch=true" + (query.isEmpty() ? "" : "&" + query),
                CaraJson::parseProjectWatchEvent, events, onClose);
    }

    // ------------------------------------------------------------------ events

    @Override
    public EventList listEvents(EventFilter filter) {
        String query = eventQuery(filter, true);
        return read(call("GET", "/api/v1/events" + (query.isEmpty() ? "" : "?" + query), null, null, 200),
                CaraJson::parseEventList);
    }

    @Override
    public Watch watchEvents(EventFilter filter, Consumer<EventWatchEvent> events, Consumer<String> onClose) {
        String query = eventQuery(filter, false);
        return stream("/api/v1/events?watch=true" + (query.isEmpty() ? "" : "&" + query), CaraJson::parseEventWatchEvent,
                events, onClose);
    }

    /** {@code object=node/N&kind=Node&since=T&limit=L}, without a leading separator; a watch takes no limit. */
    private static String eventQuery(EventFilter filter, boolean withLimit) {
        Objects.requireNonNull(filter, "filter");
        StringJoiner query = new StringJoiner("&");
        filter.object().ifPresentOrElse(o -> query.add("object=" + encode(o.toString())),
                () -> filter.kind().ifPresent(k -> query.add("kind=" + encode(k.wireName()))));
        filter.since().ifPresent(t -> query.add("since=" + encode(t.toString())));
        if (withLimit && filter.limit() != EventFilter.MAX_LIMIT) {
            query.add("limit=" + filter.limit());
        }
        return query.toString();
    }

    private <E> Watch stream(String path, Function<String, E> parser, Consumer<E> events, Consumer<String> onClose) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(onClose, "onClose");
        HttpTransport.Streamed response;
        try {
            response = transport.stream(URI.create(base + path));
        } catch (IOException e) {
            throw unreachable("GET", path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while opening a watch on " + baseUrl, e);
        }
        if (response.status() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw failure(response.status(), response.contentType(), body, null, "GET", path);
        }
        HttpWatch<E> watch = new HttpWatch<>(response.body(), parser, events, onClose);
        Thread reader = new Thread(watch::run, "cara-watch " + baseUrl);
        reader.setDaemon(true);
        watch.reader = reader;
        reader.start();
        return watch;
    }

    @Override
    public String target() {
        return baseUrl.toString();
    }

    @Override
    public void close() {
        transport.close();
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * Sends one request and returns the body of the expected answer.
     *
     * @param name the node the call is about, for the typed exceptions; null for collection calls
     */
    private String call(String method, String path, String jsonBody, String name, int expected) {
        return answer(method, path, jsonBody, name, expected).body();
    }

    private HttpTransport.Answer answer(String method, String path, String jsonBody, String name, int expected) {
        HttpTransport.Answer answer = send(method, path, jsonBody);
        if (answer.status() == expected) {
            return answer;
        }
        throw failure(answer.status(), answer.contentType(), answer.body(), name, method, path);
    }

    private HttpTransport.Answer send(String method, String path, String jsonBody) {
        try {
            return transport.exchange(method, URI.create(base + path), jsonBody);
        } catch (IOException e) {
            throw unreachable(method, path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while calling " + method + " " + baseUrl + path, e);
        }
    }

    UnavailableException unreachable(String method, String path, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new UnavailableException("cannot reach the cara server at " + baseUrl + ": no connection within the "
                    + "connect timeout; check that it is running and that the URL is right", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new UnavailableException("the cara server at " + baseUrl + " did not answer " + method + " " + path
                    + " within " + Durations.format(requestTimeout), e);
        }
        if (unknownHost(e)) {
            return new UnavailableException("cannot reach the cara server at " + baseUrl + ": the host name "
                    + baseUrl.getHost() + " does not resolve; check the URL", e);
        }
        String why = e instanceof ConnectException ? "connection refused" : describe(e);
        return new UnavailableException("cannot reach the cara server at " + baseUrl + " (" + why
                + "); check that it is running and that the URL is right", e);
    }

    // HttpURLConnection throws UnknownHostException; java.net.http a ConnectException caused by an
    // UnresolvedAddressException.
    private static boolean unknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    /**
     * The typed exception for an unexpected answer: the server's problem JSON when it sent one, or
     * else a problem made up from the status and the start of the body (a proxy's HTML page, say).
     */
    CaraException failure(int status, String contentType, String body, String name, String method, String path) {
        return toException(baseUrl.toString(), status, contentType, body, name, method, path);
    }

    static CaraException toException(String baseUrl, int status, String contentType, String body, String name,
                                     String method, String path) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json") && body != null && !body.isBlank()) {
            try {
                Problem p = CaraJson.parseProblem(body);
                if (p.detail() != null || !p.title().isEmpty()) {
                    // The status line is the truth; a problem body that disagrees is ignored for mapping.
                    Problem mapped = p.status() == status ? p
                            : new Problem(p.type(), p.title(), status, p.detail(), p.instance());
                    return mapped.toException(name);
                }
            } catch (InvalidException unreadable) {
                // Not a problem document: fall through to the generic description.
            }
        }
        String shown = body == null ? "" : body.strip();
        if (shown.length() > MAX_SHOWN_BODY) {
            shown = shown.substring(0, MAX_SHOWN_BODY) + "...";
        }
        String detail = "the server at " + baseUrl + " answered " + status + " to " + method + " " + path
                + (shown.isEmpty() ? "" : ": " + shown);
        return new Problem(null, "HTTP " + status, status, detail, path).toException(name);
    }

    /** {@link #call}, and the answer read by {@code parser}. */
    private <T> T answer(String method, String path, String jsonBody, String name, int expected, Function<String, T> parser) {
        return read(call(method, path, jsonBody, name, expected), parser);
    }

    private <T> T read(String body, Function<String, T> parser) {
        try {
            return parser.apply(body);
        } catch (InvalidException e) {
            throw new CaraException("the server at " + baseUrl + " sent an answer cara cannot read (" + e.getMessage()
                    + "); is it a cara server of a compatible version?", e);
        }
    }

    private static String nodePath(String name) {
        Names.requireNodeName("name", name);
        return "/api/v1/nodes/" + encode(name);
    }

    private static String projectPath(String name) {
        Names.requireNodeName("name", name); // a project's name follows the same DNS-subdomain rule
        return "/api/v1/projects/" + encode(name);
    }

    /** {@code phase=A&phase=B&nodeRef=N&labelSelector=S}, without a leading separator; empty for every project. */
    private static String filterQuery(ProjectFilter filter) {
        Objects.requireNonNull(filter, "filter");
        StringJoiner query = new StringJoiner("&");
        filter.phases().stream().sorted().forEach(p -> query.add("phase=" + encode(p.wireName())));
        if (filter.nodeRef() != null) {
            query.add("nodeRef=" + encode(filter.nodeRef()));
        }
        if (!filter.selector().selectsEverything()) {
            query.add("labelSelector=" + encode(filter.selector().toString()));
        }
        return query.toString();
    }

    private static String selectorQuery(LabelSelector selector, String separator) {
        return selector.selectsEverything() ? "" : separator + "labelSelector=" + encode(selector.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One open watch: its reader thread parses lines and hands events to the consumer. */
    private final class HttpWatch<E> implements Watch {
        private final InputStream body;
        private final Function<String, E> parser;
        private final Consumer<E> events;
        private final Consumer<String> onClose;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final AtomicBoolean closeReported = new AtomicBoolean();
        private volatile Thread reader;

        HttpWatch(InputStream body, Function<String, E> parser, Consumer<E> events, Consumer<String> onClose) {
            this.body = body;
            this.parser = parser;
            this.events = events;
            this.onClose = onClose;
        }

        void run() {
            String reason;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while (open.get() && (line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    E event;
                    try {
                        event = parser.apply(line);
                    } catch (InvalidException e) {
                        reason = "the server at " + baseUrl + " sent a watch event cara cannot read: " + e.getMessage();
                        finish(reason);
                        return;
                    }
                    events.accept(event);
                }
                reason = open.get() ? "the server at " + baseUrl + " ended the watch" : "closed";
            } catch (IOException e) {
                reason = open.get() ? "lost the watch connection to " + baseUrl + ": " + describe(e) : "closed";
            } catch (RuntimeException e) {
                reason = "the watch's consumer failed: " + describe(e);
            }
            finish(reason);
        }

        private void finish(String reason) {
            open.set(false);
            try {
                body.close();
            } catch (IOException ignored) {
                // Closing a stream we are abandoning; nothing to do.
            }
            if (closeReported.compareAndSet(false, true)) {
                onClose.accept(reason);
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void close() {
            if (!open.getAndSet(false)) {
                return;
            }
            // Claim the report before closing the stream: closing it makes the reader thread's read
            // fail, and a reader that claimed it first would report on its own thread after close()
            // had returned, so a caller could not rely on onClose having run once close() returns.
            if (closeReported.compareAndSet(false, true)) {
                onClose.accept("closed");
            }
            try {
                body.close();
            } catch (IOException ignored) {
                // The connection is being dropped anyway.
            }
            Thread t = reader;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt(); // a read blocked for the next event wakes up
            }
        }
    }
}
