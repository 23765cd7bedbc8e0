package dev.cara.server;

import dev.cara.sdk.Resource;
import dev.cara.sdk.Verb;

import java.util.Optional;

/**
 * Which {@link Verb} on which {@link Resource} an API request is, for authorization and audit lines:
 * a pure function of the method, the raw path and whether it asks for a watch. A path the API does
 * not have is empty: it needs a valid identity and then gets its 404 or 405 from the routes.
 */
final class ApiRequests {
    static final String API = "/api/v1/";

    private ApiRequests() {
    }

    /** What the request is; the node name is decoded when it can be, so that it compares with a credential's node. */
    record Target(Verb verb, Resource resource) {
    }

    /** @param rawQuery the query as sent, or null: it tells a watch, and the node a project list asks for */
    static Optional<Target> classify(String method, String rawPath, String rawQuery) {
        if (!rawPath.startsWith(API)) {
            return Optional.empty();
        }
        boolean watch = watch(rawQuery);
        String[] parts = rawPath.substring(API.length()).split("/", -1);
        boolean read = method.equals("GET") || method.equals("HEAD");
        String kind = parts[0];
        if (parts.length == 1) {
            return switch (kind) {
                case "nodes", "tokens" -> {
                    Resource all = new Resource(kind.substring(0, kind.length() - 1), "");
                    if (read) {
                        yield Optional.of(new Target(watch && kind.equals("nodes") ? Verb.WATCH : Verb.LIST, all));
                    }
                    yield method.equals("POST") ? Optional.of(new Target(Verb.CREATE, all)) : Optional.empty();
                }
                case "projects" -> {
                    if (read) {
                        yield Optional.of(new Target(watch ? Verb.WATCH : Verb.LIST, Resource.projects(nodeRef(rawQuery))));
                    }
                    yield method.equals("POST") ? Optional.of(new Target(Verb.CREATE, Resource.projects(null))) : Optional.empty();
                }
                case "version" -> read ? Optional.of(new Target(Verb.GET, new Resource(Resource.VERSION, ""))) : Optional.empty();
                // Events are read-only: any other method is classified as a read too, so that it needs the
                // same role before it gets its 405.
                case "events" -> Optional.of(new Target(watch && read ? Verb.WATCH : Verb.LIST, Resource.events()));
                default -> Optional.empty();
            };
        }
        if (!(kind.equals("nodes") || kind.equals("tokens") || kind.equals("projects")) || parts[1].isEmpty()) {
            return Optional.empty();
        }
        // A project's node is the store's to tell: the route asks again once it has read it (Security.authorizeNow).
        Resource one = new Resource(kind.substring(0, kind.length() - 1), decoded(parts[1]));
        if (parts.length == 2) {
            Verb verb = read ? Verb.GET : switch (method) {
                case "PUT" -> Verb.UPDATE;
                case "DELETE" -> Verb.DELETE;
                default -> null;
            };
            return Optional.ofNullable(verb).map(v -> new Target(v, one));
        }
        if (parts.length == 3 && kind.equals("nodes") && parts[2].equals("heartbeat") && method.equals("POST")) {
            return Optional.of(new Target(Verb.HEARTBEAT, one));
        }
        if (parts.length == 3 && kind.equals("projects") && parts[2].equals("status") && method.equals("PATCH")) {
            return Optional.of(new Target(Verb.REPORT, one));
        }
        return Optional.empty();
    }

    /** The {@code nodeRef} a project list or watch asks for, or null; one the route would refuse is null too. */
    /** Whether the routes will take it as a watch: the same rule as theirs; one they would refuse is none (the route answers 400). */
    private static boolean watch(String rawQuery) {
        try {
            return QueryParams.flag(rawQuery, "watch");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String nodeRef(String rawQuery) {
        try {
            return QueryParams.first(rawQuery, "nodeRef").orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The name as the routes will decode it; one they would refuse stays raw (and matches no credential). */
    private static String decoded(String raw) {
        try {
            return NodesApi.decode(raw, "name in the path");
        } catch (RuntimeException e) {
            return raw;
        }
    }
}
