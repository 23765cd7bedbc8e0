package dev.cara.sdk;

/**
 * Too many failed authentication attempts from this address: the server does not even check the
 * token until the wait is over (the message says how long). Maps to HTTP 429 with {@code Retry-
 * After}.
 */
public class RateLimitedException extends CaraException {
    private static final long serialVersionUID = 1L;

    public RateLimitedException(String message) {
        super(message);
    }
}
