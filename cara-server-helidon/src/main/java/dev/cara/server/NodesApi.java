package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Names;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.Resource;
import dev.cara.sdk.Verb;
import dev.cara.sdk.VersionInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The REST API v1 over a {@link ControlPlane}: each handler turns a request into one control-plane
 * call and its answer into JSON. The control plane's exceptions become problem JSON in
 * {@link HttpProblems}. Handlers hold no state of their own.
 *
 * <p>The node name is taken from the raw request path and decoded here, strictly, so that an odd
 * encoding ({@code %zz}, an encoded slash, bytes that are not UTF-8) is a 400 that says so rather
 * than whatever a lenient decoder makes of it.
 */
final class NodesApi {
    static final String NODES = "/api/v1/nodes";
    static final String VERSION = "/api/v1/version";
    private static final String JSON = "application/json";
    private static final String HEARTBEAT = "/heartbeat";

    private final ControlPlane controlPlane;
    private final WatchStreams watches;

    NodesApi(ControlPlane controlPlane, WatchStreams watches) {
        this.controlPlane = controlPlane;
        this.watches = watches;
    }

    void register(HttpRouting.Builder routing) {
        // HEAD is GET without content (RFC 9110 section 9.3.2), so every GET route answers it too.
        collection(routing, NODES, this::listOrWatch, this::create, this::node);
        readOnly(routing, VERSION, this::version);
    }

    /**
     * A collection's routes: list (or watch) and create at {@code path}, 405 for other methods there,
     * and everything below it to {@code item}, which tells its own routes apart.
     */
    static void collection(HttpRouting.Builder routing, String path, Handler list, Handler create, Handler item) {
        routing.route(Method.GET, path, list)
                .route(Method.HEAD, path, list)
                .route(Method.POST, path, create)
                .any(path, (req, res) -> notAllowed(req, res, "GET, HEAD, POST"))
                .any(path + "/*", item);
    }

    // ------------------------------------------------------------------ /api/v1/nodes

    private void listOrWatch(ServerRequest req, ServerResponse res) {
        LabelSelector selector = LabelSelector.parse(query(req, "labelSelector").orElse(null));
        if (isWatch(req)) {
            if (Responses.isHead(req)) {
                watches.head(res); // a stream's headers, without starting one that nobody reads
                return;
            }
            watches.stream(selector, req, res);
            return;
        }
        sendJson(req, res, Status.OK_200, CaraJson.toJson(NodeList.of(controlPlane.list(selector))));
    }

    static boolean isWatch(ServerRequest req) {
        return QueryParams.flag(req.prologue().query().rawValue(), "watch");
    }

    private void create(ServerRequest req, ServerResponse res) {
        Node manifest = manifest(Bodies.read(req, false));
        Security.authorizeNow(req, Verb.CREATE, Resource.node(manifest.name())); // a node credential registers only its own node
        Node created = controlPlane.register(manifest);
        res.header(HeaderNames.LOCATION, NODES + "/" + created.name());
        sendJson(req, res, Status.CREATED_201, CaraJson.toJson(created));
    }

    // ------------------------------------------------------------------ /api/v1/nodes/{name}[/heartbeat]

    private void node(ServerRequest req, ServerResponse res) {
        String raw = req.prologue().uriPath().rawPath();
        String rest = raw.substring(raw.indexOf(NODES) + NODES.length() + 1);
        // One or two segments, found with indexOf: split's regex machinery and list ran on every heartbeat.
        int slash = rest.indexOf('/');
        if (slash < 0 && !rest.isEmpty()) {
            Method m = req.prologue().method();
            if (m == Method.GET || m == Method.HEAD) {
                sendJson(req, res, Status.OK_200, CaraJson.toJson(controlPlane.get(name(rest))));
            } else if (m == Method.PUT) {
                update(req, res, name(rest));
            } else if (m == Method.DELETE) {
                controlPlane.delete(name(rest));
                res.status(Status.NO_CONTENT_204).send();
            } else {
                notAllowed(req, res, "GET, HEAD, PUT, DELETE");
            }
        } else if (slash > 0 && rest.length() == slash + HEARTBEAT.length() && rest.endsWith(HEARTBEAT)) {
            if (req.prologue().method() == Method.POST) {
                heartbeat(req, res, name(rest.substring(0, slash)));
            } else {
                notAllowed(req, res, "POST");
            }
        } else {
            HttpProblems.send(req, res, 404, "no such endpoint: " + raw + "; nodes are at " + NODES + "/{name} and "
                    + NODES + "/{name}/heartbeat", raw);
        }
    }

    private void update(ServerRequest req, ServerResponse res, String name) {
        Node manifest = manifest(Bodies.read(req, false));
        if (!manifest.name().equals(name)) {
            throw new InvalidException("metadata.name", manifest.name(),
                    "the name in the path (\"" + name + "\"); a node cannot be renamed");
        }
        sendJson(req, res, Status.OK_200, CaraJson.toJson(controlPlane.update(manifest)));
    }

    private void heartbeat(ServerRequest req, ServerResponse res, String name) {
        Bodies.Json body = Bodies.read(req, true);
        HeartbeatReport report;
        if (body.isBlank()) {
            report = HeartbeatReport.EMPTY;
        } else {
            report = CaraJson.parseHeartbeat(body.utf8Bytes());
        }
        controlPlane.heartbeat(name, report);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void version(ServerRequest req, ServerResponse res) {
        sendJson(req, res, Status.OK_200, CaraJson.toJson(VersionInfo.current()));
    }

    // ------------------------------------------------------------------ helpers

    /** JSON between systems is UTF-8 (RFC 8259 section 8.1) unless the client declared another charset. */
    private static Node manifest(Bodies.Json body) {
        return CaraJson.parseManifest(new ByteArrayInputStream(body.utf8Bytes()));
    }

    static void sendJson(ServerRequest req, ServerResponse res, Status status, String json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        Responses.send(req, res, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A read-only route: GET and HEAD (a GET without content) to handler at path, any other method a 405 naming them. */
    static void readOnly(HttpRouting.Builder routing, String path, io.helidon.webserver.http.Handler handler) {
        routing.route(Method.GET, path, handler)
                .route(Method.HEAD, path, handler)
                .any(path, (req, res) -> notAllowed(req, res, "GET, HEAD"));
    }

    static void notAllowed(ServerRequest req, ServerResponse res, String allow) {
        res.header(HeaderNames.ALLOW, allow);
        HttpProblems.send(req, res, 405, req.prologue().method().text() + " is not allowed here; allowed: " + allow,
                req.prologue().uriPath().rawPath());
    }

    /** A query parameter, decoded; an undecodable one is a 400 naming it. */
    static Optional<String> query(ServerRequest req, String key) {
        return QueryParams.first(req.prologue().query().rawValue(), key);
    }

    /**
     * The node name in the path, percent-decoded strictly and checked against the naming rule.
     *
     * @throws InvalidException for a broken escape, non-UTF-8 bytes or an invalid name
     */
    static String name(String rawSegment) {
        return Names.requireNodeName("name in the path", decode(rawSegment, "name in the path"));
    }

    static String decode(String raw, String what) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidException(what, raw, "percent-encoded correctly: each % followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidException(what, raw, "percent-encoded UTF-8");
        }
    }
}
