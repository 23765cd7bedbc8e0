package dev.cara.server;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Problem;
import dev.cara.sdk.Problems;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error leaves the server as RFC 9457 problem JSON: from a handler ({@link #send}), from an
 * exception that escaped routing ({@link #handle}), and from Helidon's own checks before routing,
 * such as a malformed request line or an oversized body ({@link #directHandlers()}). Nothing here
 * ever sends a stack trace or an HTML page; unexpected failures are logged and answered with a
 * generic 500.
 */
final class HttpProblems {
    private static final Logger LOG = Logger.getLogger(HttpProblems.class.getName());

    private HttpProblems() {
    }

    static void send(ServerRequest req, ServerResponse res, Problem problem) {
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Responses.send(req, res, CaraJson.toJson(problem).getBytes(StandardCharsets.UTF_8));
    }

    static void send(ServerRequest req, ServerResponse res, int status, String detail, String path) {
        send(req, res, Problems.forStatus(status, detail, path));
    }

    /** The routing's error handler for every throwable. */
    static void handle(ServerRequest req, ServerResponse res, Throwable t) {
        String path = safePath(req);
        if (t instanceof Bodies.Rejected r) {
            send(req, res, r.status, r.getMessage(), path);
        } else if (t instanceof CaraException e) {
            Problem p = Problems.of(e, path);
            if (p.status() >= 500) {
                LOG.log(Level.WARNING, "request " + req.prologue().method().text() + " " + path + " failed", e);
            }
            send(req, res, p);
        } else if (t instanceof HttpException e) {
            int status = e.status().code();
            if (status >= 500) {
                LOG.log(Level.WARNING, "request " + path + " failed", e);
            }
            e.headers().forEach(h -> res.header(h));
            send(req, res, status, status >= 500 ? null : describe(status, e.getMessage()), path);
        } else {
            LOG.log(Level.SEVERE, "request " + req.prologue().method().text() + " " + path + " failed unexpectedly", t);
            send(req, res, Problems.internal(path));
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String safePath(ServerRequest req) {
        try {
            return req.path().rawPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describe(int status, String message) {
        return switch (status) {
            case 404 -> "no such endpoint; the API is under /api/v1 (nodes, nodes/{name}, nodes/{name}/heartbeat, projects, projects/{name}, projects/{name}/status, version)";
            case 413 -> "the request body is larger than the limit of 1 MiB";
            default -> message == null || message.isBlank() ? Status.create(status).reasonPhrase() : message;
        };
    }

    private static boolean hasBadEscape(String target) {
        if (target == null) {
            return false;
        }
        for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
            if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                    || Character.digit(target.charAt(i + 2), 16) < 0) {
                return true;
            }
        }
        return false;
    }

    /** The request's Content-Encoding, or null when it has none (or its headers were never read). */
    private static String contentEncoding(DirectHandler.TransportRequest request) {
        try {
            return request.headers().first(HeaderNames.CONTENT_ENCODING).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String httpVersion(DirectHandler.TransportRequest request) {
        String v = request.protocolVersion();
        if (v == null || v.isBlank()) {
            return "this HTTP version";
        }
        return v.startsWith("HTTP/") ? v : "HTTP/" + v;
    }

    /** Handlers for what Helidon answers itself, before or outside routing. */
    static DirectHandlers directHandlers() {
        DirectHandler problemHandler = HttpProblems::direct;
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            b.addHandler(type, problemHandler);
        }
        return b.build();
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          ServerResponseHeaders headers,
                                                          String message) {
        int code = status.code();
        String detail;
        String encoding = code == 400 || code == 415 ? contentEncoding(request) : null; // read only where used
        if (eventType == DirectHandler.EventType.INTERNAL_ERROR && isBlank(request.method())) {
            // Helidon failed before it had a request: reading the request line or the headers threw (a method
            // with bytes that are not a token, headers that end before the blank line). That is the client's
            // broken request, not a server fault: a 400, and (since the answer is not 500) no stack trace in
            // Helidon's log. Its message names no cause, so DEBUG is all there is to say.
            LOG.log(Level.FINE, () -> "unreadable request: " + message);
            code = 400;
            status = Status.BAD_REQUEST_400;
            detail = "the request line or headers could not be read: check the method, the URL and the header lines,"
                    + " and send the whole header block, ending with a blank line";
        } else if (code == 413 || eventType == DirectHandler.EventType.PAYLOAD_TOO_LARGE) {
            detail = "the request body is larger than the limit of 1 MiB";
        } else if (code == 505 || eventType == DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED) {
            code = 505;
            detail = httpVersion(request) + " is not supported: send the request as HTTP/1.1";
        } else if (code >= 500) {
            detail = null;
        } else if (code == 400 && hasBadEscape(request.path())) {
            detail = "the URL is not percent-encoded correctly: each % must be followed by two hex digits";
        } else if ((code == 400 || code == 415) && encoding != null) {
            // Helidon refuses any Content-Encoding with a bare 400; the body's encoding is a media-type matter.
            code = 415;
            status = Status.UNSUPPORTED_MEDIA_TYPE_415;
            detail = "Content-Encoding \"" + encoding + "\" is not supported: send the body as plain application/json,"
                    + " without a Content-Encoding header";
        } else if (code == 400) {
            detail = message == null || message.isBlank()
                    ? "the request line or headers are malformed (for example, a URL that is not percent-encoded correctly)"
                    : "the request is malformed: " + message;
        } else {
            detail = describe(code, message);
        }
        if (code >= 500 && code != 505) {
            LOG.log(Level.WARNING, "request " + request.method() + " " + request.path() + " failed: " + message);
        }
        String path = request.path();
        Problem p = Problems.forStatus(code, detail, path == null || path.isEmpty() ? null : path);
        headers.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(CaraJson.toJson(p).getBytes(StandardCharsets.UTF_8))
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
