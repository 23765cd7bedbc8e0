package dev.cara.server;

import dev.cara.sdk.InvalidException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads request bodies under the API's rules: {@code application/json} (any charset parameter), at
 * most {@link #MAX_BODY} bytes. The limit is also the WebServer's max payload size, which refuses a
 * larger declared Content-Length before the body is read; for a chunked body this reader stops at
 * the limit, so no more than 1 MiB is ever held.
 */
final class Bodies {
    static final int MAX_BODY = 1024 * 1024;

    private Bodies() {
    }

    /** A body broke the media-type or size rule: the handler answers with {@code status}. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Rejected(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** A JSON body: its bytes and the charset the client declared, if any. */
    record Json(byte[] bytes, Optional<Charset> charset) {
        boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                    return false;
                }
            }
            return true;
        }

        /**
         * The body as UTF-8 bytes, which is what the SDK's parsers read (they decode strictly, with a
         * fast path for the common case). A body in another declared charset is decoded here, strictly:
         * bytes that are not valid in it are malformed JSON, never silently turned into U+FFFD and stored.
         */
        byte[] utf8Bytes() {
            Charset cs = charset.orElse(StandardCharsets.UTF_8);
            if (cs.equals(StandardCharsets.UTF_8)) {
                return bytes;
            }
            try {
                return cs.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString()
                        .getBytes(StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                throw new InvalidException("malformed JSON: the body is not valid " + cs.name());
            }
        }
    }

    /**
     * Reads the body.
     *
     * @param optional whether an empty body without a Content-Type is fine (heartbeats)
     * @throws Rejected with 415 for a missing or non-JSON media type, 413 for an oversized body
     */
    static Json read(ServerRequest req, boolean optional) {
        Optional<String> contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
        byte[] bytes = readLimited(req);
        if (contentType.isEmpty()) {
            if (bytes.length == 0) {
                if (optional) {
                    return new Json(bytes, Optional.empty());
                }
                throw new InvalidException("the body is empty: a JSON object is required (Content-Type: application/json)");
            }
            throw new Rejected(415, "the body has no Content-Type: send it as application/json");
        }
        return new Json(bytes, jsonCharset(contentType.get(), optional && bytes.length == 0));
    }

    private static Optional<Charset> jsonCharset(String header, boolean emptyOptionalBody) {
        if (header.equals("application/json")) {
            return Optional.empty(); // what every agent sends: no split, trim or lower-casing per heartbeat
        }
        String[] parts = header.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            if (emptyOptionalBody) {
                return Optional.empty(); // nothing was sent, so the label describes nothing
            }
            throw new Rejected(415, "Content-Type \"" + header.trim() + "\" is not supported: send application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String name = p.substring(eq + 1).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Optional.of(Charset.forName(name));
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new Rejected(415, "charset \"" + name + "\" is not supported: send application/json in UTF-8");
                }
            }
        }
        return Optional.empty();
    }

    private static Rejected cutShort(OptionalLong declared) {
        return new Rejected(400, "the request body ended before its Content-Length of " + declared.getAsLong()
                + " bytes: send the whole body, or a Content-Length that matches it");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static byte[] readLimited(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        // Helidon stops any body at the listener's max payload size (MAX_BODY) with a 413, so at most
        // 1 MiB is ever held. With a Content-Length, exactly that many bytes are read into an array of
        // that size: reading "all bytes" would start with a 16 KiB buffer for every ~200-byte heartbeat.
        OptionalLong declared = req.headers().contentLength();
        byte[] bytes;
        try {
            if (declared.isPresent() && declared.getAsLong() <= MAX_BODY) {
                try (InputStream in = req.content().inputStream()) {
                    bytes = in.readNBytes((int) declared.getAsLong());
                }
                if (bytes.length < declared.getAsLong()) {
                    throw cutShort(declared);
                }
            } else {
                bytes = req.content().as(byte[].class);
            }
        } catch (HttpException | RequestException e) {
            throw e; // Helidon's own answer, such as 413 for a chunked body over the limit
        } catch (IOException | RuntimeException e) {
            // Reading a body fails only when the client's bytes do: the connection ended early (Helidon's
            // InsufficientDataAvailableException), or the chunked framing is broken. That is the client's
            // mistake, a 400, and nothing to log.
            if (causedBy(e, SocketTimeoutException.class)) {
                throw new Rejected(400, "the rest of the request body did not arrive within the server's read timeout");
            }
            throw declared.isPresent() ? cutShort(declared)
                    : new Rejected(400, "the request body could not be read: its chunked encoding is broken or the connection"
                    + " ended before the last chunk (" + describe(e) + ")");
        }
        if (bytes.length > MAX_BODY) {
            throw new Rejected(413, "the request body is larger than the limit of 1 MiB");
        }
        return bytes;
    }
}
