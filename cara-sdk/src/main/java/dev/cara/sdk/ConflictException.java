package dev.cara.sdk;

/**
 * The request conflicts with the current state: a stale {@code resourceVersion} in a
 * compare-and-set, a name already taken, or a delete that a {@link DeletionGuard} refused.
 * Maps to HTTP 409.
 */
public class ConflictException extends CaraException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
