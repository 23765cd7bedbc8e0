package dev.cara.sdk;

/**
 * What a request does to a resource, as {@link Authorizer} judges it. The HTTP API maps each route to
 * one verb: {@code GET /nodes/x} is {@link #GET}, {@code GET /nodes} {@link #LIST}, a watch
 * {@link #WATCH}, {@code POST /nodes} {@link #CREATE}, {@code PATCH /projects/x/status} {@link #REPORT},
 * and so on.
 */
public enum Verb {
    GET(true),
    LIST(true),
    WATCH(true),
    CREATE(false),
    UPDATE(false),
    DELETE(false),
    HEARTBEAT(false),
    /** An agent's report of a project's status ({@code PATCH /projects/x/status}). */
    REPORT(false);

    private final boolean read;

    Verb(boolean read) {
        this.read = read;
    }

    /** Whether the verb only reads (get, list, watch); a read changes nothing and is never audited. */
    public boolean isRead() {
        return read;
    }

    /** The verb as messages and audit lines spell it: {@code get}, {@code heartbeat}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
