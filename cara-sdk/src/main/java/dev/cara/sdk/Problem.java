package dev.cara.sdk;

import java.util.Objects;

/**
 * An RFC 9457 problem, as every API error is sent: {@code application/problem+json} with
 * {@code type}, {@code title}, {@code status} and {@code detail}.
 *
 * @param type     a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title    a short summary of the kind, the same for every instance
 * @param status   the HTTP status code
 * @param detail   what went wrong this time, for a human: names the thing and how to fix it
 * @param instance the request path it happened on, or null
 */
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        type = type == null || type.isBlank() ? "about:blank" : type;
        Objects.requireNonNull(title, "title");
    }

    /** The typed exception a client should throw for this problem. */
    public CaraException toException(String name) {
        String message = detail != null ? detail : title;
        return switch (status) {
            case 400, 413, 415, 422 -> new InvalidException(message);
            case 401 -> new UnauthorizedException(message);
            case 403 -> new ForbiddenException(message);
            case 429 -> new RateLimitedException(message);
            case 404 -> new NotFoundException(name, message);
            case 409 -> type.endsWith("/already-exists") ? new AlreadyExistsException(name, message) : new ConflictException(message);
            case 502, 503, 504 -> new UnavailableException(message);
            default -> new CaraException(message);
        };
    }
}
