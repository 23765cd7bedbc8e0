package dev.cara.server;

import dev.cara.sdk.Authorizer;
import dev.cara.sdk.Identity;
import dev.cara.sdk.Resource;
import dev.cara.sdk.Verb;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code GET /api/v1/identity}: who the caller is and what it may do, so that the dashboard shows
 * write buttons only to identities that may write. {@link Security} lets any authenticated identity
 * reach it (the path names no resource, so there is nothing to authorize); under {@code --auth none}
 * the caller is {@link Identity#ANONYMOUS}, allowed everything. Holds no state of its own.
 */
final class IdentityApi {
    static final String IDENTITY = "/api/v1/identity";

    private final boolean authRequired;
    private final Authorizer authorizer = Authorizer.standard();

    IdentityApi(boolean authRequired) {
        this.authRequired = authRequired;
    }

    void register(HttpRouting.Builder routing) {
        NodesApi.readOnly(routing, IDENTITY, this::identity);
    }

    private void identity(ServerRequest req, ServerResponse res) {
        Identity who = req.context().get(Identity.class, Identity.class).orElse(Identity.ANONYMOUS);
        JsonObjectBuilder may = Json.createObjectBuilder();
        // What the dashboard offers, each asked of the same rule that judges the real request.
        may.add("readNodes", allowed(who, Verb.LIST, Resource.nodes()))
                .add("updateNodes", allowed(who, Verb.UPDATE, Resource.nodes()))
                .add("deleteNodes", allowed(who, Verb.DELETE, Resource.nodes()))
                .add("manageTokens", allowed(who, Verb.LIST, Resource.tokens()));
        JsonObjectBuilder o = Json.createObjectBuilder().add("kind", "Identity")
                .add("auth", authRequired ? "required" : "none")
                .add("via", who.kind()).add("name", who.name()).add("role", who.role().word());
        who.boundNode().ifPresent(n -> o.add("node", n));
        TokensApi.send(req, res, Status.OK_200, o.add("may", may).build());
    }

    private boolean allowed(Identity who, Verb verb, Resource resource) {
        return authorizer.decide(who, verb, resource).allowed();
    }
}
