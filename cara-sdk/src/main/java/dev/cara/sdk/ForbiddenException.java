package dev.cara.sdk;

/**
 * The credential is valid but its role may not do this (a viewer deleting a node, a node
 * credential heartbeating another node); the message names what the identity may not do. Maps to
 * HTTP 403.
 */
public class ForbiddenException extends CaraException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
