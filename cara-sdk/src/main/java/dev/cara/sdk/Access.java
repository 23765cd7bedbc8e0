package dev.cara.sdk;

import java.util.Objects;

/**
 * The answer of an {@link Authorizer}: allowed, or denied with a reason that names who may not do
 * what and why, meant to be shown verbatim (a 403's detail), for example
 * {@code token "ci-viewer" (role viewer) may not delete node "w1": viewers may only read and watch}.
 *
 * @param allowed whether the request may go ahead
 * @param reason  why not; empty when allowed
 */
public record Access(boolean allowed, String reason) {
    private static final Access ALLOWED = new Access(true, "");

    public Access {
        Objects.requireNonNull(reason, "reason");
        if (allowed != reason.isEmpty()) {
            throw new IllegalArgumentException(allowed ? "an allowed access has no reason" : "a denial needs a reason");
        }
    }

    public static Access allow() {
        return ALLOWED;
    }

    public static Access deny(String reason) {
        return new Access(false, reason);
    }
}
