package dev.cara.sdk;

/**
 * The root of every exception that cara's API throws. It is unchecked: callers catch the typed
 * subclass they can act on ({@link NotFoundException}, {@link AlreadyExistsException},
 * {@link ConflictException}, {@link InvalidException}, {@link UnavailableException},
 * {@link UnauthorizedException}, {@link ForbiddenException}, {@link RateLimitedException}) and let
 * the rest propagate.
 */
public class CaraException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaraException(String message) {
        super(message);
    }

    public CaraException(String message, Throwable cause) {
        super(message, cause);
    }
}
