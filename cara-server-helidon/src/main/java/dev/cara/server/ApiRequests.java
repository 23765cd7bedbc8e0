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
        // Segments found with indexOf rather than split: this runs on every heartbeat with tokens on,
        // and split built a list, an array and a string per segment. A trailing slash is an empty last
        // segment, as split(.., -1) had it: "/api/v1/nodes/" has an empty name and is no target.
        int from = API.length();
        int kindEnd = rawPath.indexOf('/', from);
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (kindEnd < 0) {
            return collection(method, read, rawPath.substring(from), rawQuery);
        }
        String kind = objectKind(rawPath, from, kindEnd);
        int nameEnd = rawPath.indexOf('/', kindEnd + 1);
        int end = nameEnd < 0 ? rawPath.length() : nameEnd;
        if (kind == null || end == kindEnd + 1) {
            return Optional.empty();
        }
        // A project's node is the store's to tell: the route asks again once it has read it (Security.authorizeNow).
        Resource one = new Resource(kind, decoded(rawPath.substring(kindEnd + 1, end)));
        if (nameEnd < 0) {
            Verb verb = read ? Verb.GET : switch (method) {
                case "PUT" -> Verb.UPDATE;
                case "DELETE" -> Verb.DELETE;
                default -> null;
            };
            return verb == null ? Optional.empty() : Optional.of(new Target(verb, one));
        }
        if (kind.equals(Resource.NODE) && lastSegmentIs(rawPath, nameEnd, "heartbeat") && method.equals("POST")) {
            return Optional.of(new Target(Verb.HEARTBEAT, one));
        }
        if (kind.equals(Resource.PROJECT) && lastSegmentIs(rawPath, nameEnd, "status") && method.equals("PATCH")) {
            return Optional.of(new Target(Verb.REPORT, one));
        }
        return Optional.empty();
    }

    /** A path of one segment under {@link #API}: a collection, or the version. */
    private static Optional<Target> collection(String method, boolean read, String kind, String rawQuery) {
        return switch (kind) {
            case "nodes", "tokens" -> {
                Resource all = new Resource(kind.substring(0, kind.length() - 1), "");
                if (read) {
                    yield Optional.of(new Target(watch(rawQuery) && kind.equals("nodes") ? Verb.WATCH : Verb.LIST, all));
                }
                yield method.equals("POST") ? Optional.of(new Target(Verb.CREATE, all)) : Optional.empty();
            }
            case "projects" -> {
                if (read) {
                    yield Optional.of(new Target(watch(rawQuery) ? Verb.WATCH : Verb.LIST, Resource.projects(nodeRef(rawQuery))));
                }
                yield method.equals("POST") ? Optional.of(new Target(Verb.CREATE, Resource.projects(null))) : Optional.empty();
            }
            case "version" -> read ? Optional.of(new Target(Verb.GET, new Resource(Resource.VERSION, ""))) : Optional.empty();
            // Events are read-only: any other method is classified as a read too, so that it needs the
            // same role before it gets its 405.
            case "events" -> Optional.of(new Target(read && watch(rawQuery) ? Verb.WATCH : Verb.LIST, Resource.events()));
            default -> Optional.empty();
        };
    }

    /** The resource kind of {@code path[from, to)} when it names a collection of objects, else null. */
    private static String objectKind(String path, int from, int to) {
        return segmentIs(path, from, to, "nodes") ? Resource.NODE
                : segmentIs(path, from, to, "projects") ? Resource.PROJECT
                : segmentIs(path, from, to, "tokens") ? Resource.TOKEN : null;
    }

    /** Whether the path ends, after the slash at {@code slash}, with the one segment {@code word}. */
    private static boolean lastSegmentIs(String path, int slash, String word) {
        return segmentIs(path, slash + 1, path.length(), word);
    }

    private static boolean segmentIs(String path, int from, int to, String word) {
        return to - from == word.length() && path.startsWith(word, from);
    }

    /** Whether the routes will take it as a watch: the same rule as theirs; one they would refuse is none (the route answers 400). */
    private static boolean watch(String rawQuery) {
        try {
            return QueryParams.flag(rawQuery, "watch");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The {@code nodeRef} a project list or watch asks for, or null; one the route would refuse is null too. */
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
