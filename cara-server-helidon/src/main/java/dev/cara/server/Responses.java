package dev.cara.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sends a response's content, or for a HEAD request only its headers. Helidon routes HEAD like any
 * other method and would write the content after a HEAD's headers; a keep-alive client then reads
 * those bytes as the start of its next response. RFC 9110 section 9.3.2: a HEAD answer carries the
 * GET's headers, including its Content-Length, and no content.
 */
final class Responses {
    private Responses() {
    }

    static boolean isHead(ServerRequest req) {
        return req.prologue().method() == Method.HEAD;
    }

    static void send(ServerRequest req, ServerResponse res, byte[] content) {
        if (isHead(req)) {
            // Helidon keeps a Content-Length that is already set and sends no content.
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(content.length));
            res.send();
        } else {
            res.send(content);
        }
    }
}
