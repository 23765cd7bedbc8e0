package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Durations;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.IssuedToken;
import dev.cara.sdk.Names;
import dev.cara.sdk.Role;
import dev.cara.sdk.Tokens;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.TokenStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The token API, for admins ({@link Security} lets no one else in):
 * {@code POST /api/v1/tokens} {@code {"role", "ttl"?, "description"?, "node"?}} answers 201 with the
 * token, shown this once; {@code GET /api/v1/tokens} lists them without secrets;
 * {@code DELETE /api/v1/tokens/{id}} revokes one: from the next request on this replica (it tells the
 * authentication cache through {@code revoked}), within one second on every other replica of the store
 * (their caches keep a success for at most that long). Holds no state of its own.
 */
record TokensApi(Tokens tokens, Runnable revoked) {
    static final String TOKENS = "/api/v1/tokens";
    private static final String JSON = "application/json";

    void register(HttpRouting.Builder routing) {
        routing.route(Method.GET, TOKENS, this::list)
                .route(Method.HEAD, TOKENS, this::list)
                .route(Method.POST, TOKENS, this::create)
                .any(TOKENS, (req, res) -> NodesApi.notAllowed(req, res, "GET, HEAD, POST"))
                .route(Method.DELETE, TOKENS + "/{id}", this::revoke)
                .any(TOKENS + "/{id}", (req, res) -> NodesApi.notAllowed(req, res, "DELETE"));
    }

    /** Open mode: every token call is a 404 saying why, rather than the routing's bare one. */
    static void registerOpen(HttpRouting.Builder routing) {
        routing.any(TOKENS, TokensApi::open).any(TOKENS + "/{id}", TokensApi::open);
    }

    private static void open(ServerRequest req, ServerResponse res) {
        HttpProblems.send(req, res, 404, "this server runs with --auth none and serves no token API: restart it with"
                + " --auth token (the default) to create, list and revoke tokens", req.prologue().uriPath().rawPath());
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonObject body = object(new String(Bodies.read(req, false).utf8Bytes(), StandardCharsets.UTF_8));
        Role role = Role.parse("role", string(body, "role").orElse(null));
        Optional<Duration> ttl = string(body, "ttl").map(t -> Durations.parsePositive("ttl", t));
        String description = string(body, "description").orElse("");
        if (description.length() > 200 || description.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidException("description", description, "at most 200 characters, without control characters");
        }
        Optional<String> node = string(body, "node");
        if (role == Role.NODE && node.isEmpty()) {
            throw new InvalidException("node", null, "the name of the node a node credential is bound to");
        }
        if (role != Role.NODE && node.isPresent()) {
            throw new InvalidException("node", node.get(), "absent: only a node credential (role node) is bound to a node");
        }
        node.ifPresent(n -> Names.requireNodeName("node", n));
        IssuedToken issued = tokens.issue(role, node.orElse(""), description, ttl);
        res.header(HeaderNames.LOCATION, TOKENS + "/" + issued.record().id());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        send(req, res, Status.CREATED_201, json(issued.record()).add("token", issued.token()).build());
    }

    /** The request body as a JSON object; a 400 in the SDK's words when it is not well-formed JSON or not an object. */
    private static JsonObject object(String text) {
        CaraJson.syntaxError(text).ifPresent(detail -> {
            throw new InvalidException(detail);
        });
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidException("the body must be a JSON object such as {\"role\":\"viewer\"}");
            }
            return value.asJsonObject();
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        tokens.store().list().forEach(t -> items.add(json(t)));
        send(req, res, Status.OK_200, Json.createObjectBuilder().add("kind", "TokenList").add("items", items).build());
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        tokens.store().revoke(id);
        revoked.run();
        res.status(Status.NO_CONTENT_204).send();
    }

    static JsonObjectBuilder json(TokenRecord t) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("kind", "Token").add("id", t.id())
                .add("description", t.description()).add("role", t.role().word());
        if (!t.node().isEmpty()) {
            o.add("node", t.node());
        }
        o.add("createdAt", t.createdAt().toString());
        t.expiresAt().ifPresent(e -> o.add("expiresAt", e.toString()));
        return o.add("revoked", t.revoked());
    }

    private static Optional<String> string(JsonObject body, String field) {
        JsonValue v = body.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (!(v instanceof JsonString s)) {
            throw new InvalidException(field, v.toString(), "a string");
        }
        return Optional.of(s.getString());
    }

    static void send(ServerRequest req, ServerResponse res, Status status, JsonObject json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        Responses.send(req, res, json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
