package dev.cara.sdk;

/**
 * The server did not accept the credential: it is missing, malformed, unknown, expired or revoked.
 * Maps to HTTP 401 (with {@code WWW-Authenticate: Bearer}); fix the token, not the request.
 */
public class UnauthorizedException extends CaraException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String message) {
        super(message);
    }
}
