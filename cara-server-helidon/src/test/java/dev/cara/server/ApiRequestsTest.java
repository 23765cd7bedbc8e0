package dev.cara.server;

import dev.cara.sdk.Resource;
import dev.cara.sdk.Verb;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which verb on which resource each API route is, as authorization and audit lines see it. */
class ApiRequestsTest {
    private static Optional<ApiRequests.Target> of(String method, String path) {
        return ApiRequests.classify(method, path, null);
    }

    private static Optional<ApiRequests.Target> target(Verb verb, Resource resource) {
        return Optional.of(new ApiRequests.Target(verb, resource));
    }

    @Test
    void nodeRoutes() {
        assertEquals(target(Verb.LIST, Resource.nodes()), of("GET", "/api/v1/nodes"));
        assertEquals(target(Verb.LIST, Resource.nodes()), of("HEAD", "/api/v1/nodes"));
        assertEquals(target(Verb.WATCH, Resource.nodes()), ApiRequests.classify("GET", "/api/v1/nodes", "watch=true"));
        assertEquals(target(Verb.CREATE, Resource.nodes()), of("POST", "/api/v1/nodes"));
        assertEquals(target(Verb.GET, Resource.node("w1")), of("GET", "/api/v1/nodes/w1"));
        assertEquals(target(Verb.UPDATE, Resource.node("w1")), of("PUT", "/api/v1/nodes/w1"));
        assertEquals(target(Verb.DELETE, Resource.node("w1")), of("DELETE", "/api/v1/nodes/w1"));
        assertEquals(target(Verb.HEARTBEAT, Resource.node("w1")), of("POST", "/api/v1/nodes/w1/heartbeat"));
    }

    @Test
    void anEncodedNameIsDecodedSoThatItComparesWithACredentialsNode() {
        assertEquals(target(Verb.HEARTBEAT, Resource.node("w1")), of("POST", "/api/v1/nodes/%77%31/heartbeat"));
        assertEquals(target(Verb.GET, Resource.node("%zz")), of("GET", "/api/v1/nodes/%zz"), "undecodable stays raw");
    }

    @Test
    void tokenAndVersionRoutes() {
        assertEquals(target(Verb.LIST, Resource.tokens()), of("GET", "/api/v1/tokens"));
        assertEquals(target(Verb.CREATE, Resource.tokens()), of("POST", "/api/v1/tokens"));
        assertEquals(target(Verb.DELETE, Resource.token("abc")), of("DELETE", "/api/v1/tokens/abc"));
        assertEquals(target(Verb.GET, new Resource(Resource.VERSION, "")), of("GET", "/api/v1/version"));
    }

    @Test
    void projectRoutesCarryTheNodeAListAsksForAndLeaveAProjectsNodeToTheRoute() {
        assertEquals(target(Verb.LIST, Resource.projects(null)), of("GET", "/api/v1/projects"));
        assertEquals(target(Verb.LIST, Resource.projects("w 1")),
                ApiRequests.classify("GET", "/api/v1/projects", "phase=Running&nodeRef=w%201"));
        assertEquals(target(Verb.WATCH, Resource.projects("w1")),
                ApiRequests.classify("GET", "/api/v1/projects", "watch=true&nodeRef=w1"));
        assertEquals(target(Verb.LIST, Resource.projects(null)), ApiRequests.classify("GET", "/api/v1/projects", "nodeRef=%zz"),
                "an undecodable nodeRef asks for no node (the route answers 400)");
        assertEquals(target(Verb.CREATE, Resource.projects(null)), of("POST", "/api/v1/projects"));
        assertEquals(target(Verb.GET, Resource.project("web", null)), of("GET", "/api/v1/projects/web"));
        assertEquals(target(Verb.UPDATE, Resource.project("web", null)), of("PUT", "/api/v1/projects/web"));
        assertEquals(target(Verb.DELETE, Resource.project("web", null)), ApiRequests.classify("DELETE", "/api/v1/projects/web", "force=true"));
        assertEquals(target(Verb.REPORT, Resource.project("web", null)), of("PATCH", "/api/v1/projects/web/status"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/projects/web/status"));
        assertEquals(Optional.empty(), of("PATCH", "/api/v1/projects/web"));
    }

    @Test
    void metricsNameEachProjectRouteByItsTemplate() {
        assertEquals("/api/v1/projects", ServerMetrics.route("/api/v1/projects", false));
        assertEquals("/api/v1/projects?watch", ServerMetrics.route("/api/v1/projects", true));
        assertEquals("/api/v1/projects/{name}", ServerMetrics.route("/api/v1/projects/web", false));
        assertEquals("/api/v1/projects/{name}/status", ServerMetrics.route("/api/v1/projects/web/status", false));
    }

    @Test
    void eventRoutesAreReadsOfTheEventCollectionWhateverTheMethod() {
        assertEquals(target(Verb.LIST, Resource.events()), of("GET", "/api/v1/events"));
        assertEquals(target(Verb.WATCH, Resource.events()), ApiRequests.classify("GET", "/api/v1/events", "watch=true"));
        // A write to a read-only path is judged as a read: who may not read events learns nothing more from a 405.
        assertEquals(target(Verb.LIST, Resource.events()), of("POST", "/api/v1/events"));
    }

    @Test
    void pathsTheApiDoesNotHaveAreNoTarget() {
        assertEquals(Optional.empty(), of("GET", "/api/v1/nope"));
        assertEquals(Optional.empty(), of("PATCH", "/api/v1/nodes/w1"));
        assertEquals(Optional.empty(), of("GET", "/api/v1/nodes/w1/heartbeat"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/version"));
        assertEquals(Optional.empty(), of("GET", "/observe/health"));
    }

    @Test
    void emptySegmentsAndNearMissesAreNoTarget() {
        assertEquals(Optional.empty(), of("GET", "/api/v1/"));
        assertEquals(Optional.empty(), of("GET", "/api/v1/nodes/"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/nodes//heartbeat"));
        assertEquals(Optional.empty(), of("GET", "/api/v1/nodes/w1/"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/nodes/w1/heartbeat/"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/nodes/w1/heartbeats"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/nodes/w1/heartbeat/x"));
        assertEquals(Optional.empty(), of("PATCH", "/api/v1/nodes/w1/status"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/projects/web/heartbeat"));
        assertEquals(Optional.empty(), of("GET", "/api/v1/nodesx/w1"));
        assertEquals(Optional.empty(), of("GET", "/api/v1/version/x"));
        assertEquals(target(Verb.GET, Resource.token("abc")), of("GET", "/api/v1/tokens/abc"));
        assertEquals(Optional.empty(), of("POST", "/api/v1/tokens/abc/heartbeat"));
    }

    @Test
    void auditValuesAreQuotedSoThatANameCannotForgeAField() {
        assertEquals("\"node \\\"w1\\\" status=204\\u000a\"", Audit.quote("node \"w1\" status=204\n"));
    }
}
