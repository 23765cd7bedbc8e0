package dev.cara.sdk;

/**
 * The control plane cannot serve the request right now: its store is unreachable, or the server
 * cannot be reached by a client. Retrying later may succeed. Maps to HTTP 503.
 */
public class UnavailableException extends CaraException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
