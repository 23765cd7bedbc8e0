package dev.cara.sdk;

/**
 * The problem (RFC 9457) a server sends for each of the SDK's exceptions, so that every transport
 * answers the same way and {@link Problem#toException} on the client side gets the same typed
 * exception back. Type URIs are stable identifiers under {@link #TYPE_BASE}.
 */
public final class Problems {
    /** The prefix of every problem type cara sends. */
    public static final String TYPE_BASE = "https://cara.dev/problems/";

    private Problems() {
    }

    /**
     * The problem for an exception from the control plane.
     *
     * @param instance the request path, or null
     */
    public static Problem of(CaraException e, String instance) {
        if (e instanceof AlreadyExistsException) {
            // A 409 of its own type, so that a client tells "the name is taken" from "your version is stale".
            return new Problem(TYPE_BASE + "already-exists", "Already exists", 409, e.getMessage(), instance);
        }
        int status = switch (e) {
            case InvalidException invalid -> 400;
            case UnauthorizedException unauthorized -> 401;
            case ForbiddenException forbidden -> 403;
            case NotFoundException notFound -> 404;
            case ConflictException conflict -> 409;
            case RateLimitedException rateLimited -> 429;
            case UnavailableException unavailable -> 503;
            default -> 500;
        };
        // Every other exception is a bug: its message stays in the log, as internal() has it.
        return status == 500 ? internal(instance) : forStatus(status, e.getMessage(), instance);
    }

    /** A problem for an HTTP status with no exception behind it (404 unknown path, 405, 413, 415, ...). */
    public static Problem forStatus(int status, String detail, String instance) {
        return switch (status) {
            case 400 -> new Problem(TYPE_BASE + "invalid", "Invalid request", 400, detail, instance);
            case 401 -> new Problem(TYPE_BASE + "unauthenticated", "Unauthenticated", 401, detail, instance);
            case 403 -> new Problem(TYPE_BASE + "forbidden", "Forbidden", 403, detail, instance);
            case 429 -> new Problem(TYPE_BASE + "too-many-requests", "Too many requests", 429, detail, instance);
            case 404 -> new Problem(TYPE_BASE + "not-found", "Not found", 404, detail, instance);
            case 405 -> new Problem(TYPE_BASE + "method-not-allowed", "Method not allowed", 405, detail, instance);
            case 406 -> new Problem(TYPE_BASE + "not-acceptable", "Not acceptable", 406, detail, instance);
            case 409 -> new Problem(TYPE_BASE + "conflict", "Conflict", 409, detail, instance);
            case 413 -> new Problem(TYPE_BASE + "payload-too-large", "Payload too large", 413, detail, instance);
            case 415 -> new Problem(TYPE_BASE + "unsupported-media-type", "Unsupported media type", 415, detail, instance);
            case 503 -> new Problem(TYPE_BASE + "unavailable", "Service unavailable", 503, detail, instance);
            // The client's doing (HTTP/1.0, say), not a server failure: it gets its own type, not "internal".
            case 505 -> new Problem(TYPE_BASE + "http-version-not-supported", "HTTP version not supported", 505, detail, instance);
            default -> status >= 500 ? new Problem(TYPE_BASE + "internal", "Internal server error", status,
                    detail == null ? "the server failed to handle the request; its log has the details" : detail, instance)
                    : new Problem("about:blank", "HTTP " + status, status, detail, instance);
        };
    }

    /** For a bug or an unexpected failure: says nothing about the internals (they go to the log). */
    public static Problem internal(String instance) {
        return forStatus(500, null, instance);
    }
}
