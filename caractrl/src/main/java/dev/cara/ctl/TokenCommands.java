package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Problem;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.HttpTransport;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caractrl create token}, {@code get tokens}, {@code delete token ID...}: the server's token
 * API, for admins. The new token is printed alone on standard output, once (so that
 * {@code caractrl create token --role viewer > viewer.token} keeps it), and what it is on standard
 * error. The SDK client has no token methods, so these calls go through the transport itself.
 */
final class TokenCommands {
    private TokenCommands() {
    }

    static CommandSpec create(RootCommand root) {
        OptionSpec role = OptionSpec.builder("--role").paramLabel("ROLE").type(String.class).required(true)
                .description("admin, viewer, agent-bootstrap or node.").build();
        OptionSpec ttl = OptionSpec.builder("--ttl").paramLabel("DURATION").type(String.class)
                .description("How long it works, such as 24h or 30m (default: no expiry).").build();
        OptionSpec description = OptionSpec.builder("--description").paramLabel("TEXT").type(String.class)
                .description("What it is for, shown in get tokens and audit lines.").build();
        OptionSpec node = OptionSpec.builder("--node").paramLabel("NAME").type(String.class)
                .description("For --role node: the node it is bound to.").build();
        CommandSpec token = CommandSpecs.command((Callable<Integer>) () -> {
            jakarta.json.JsonObjectBuilder body = jakarta.json.Json.createObjectBuilder().add("role", (String) role.getValue());
            if (ttl.getValue() != null) {
                body.add("ttl", (String) ttl.getValue());
            }
            if (description.getValue() != null) {
                body.add("description", (String) description.getValue());
            }
            if (node.getValue() != null) {
                body.add("node", (String) node.getValue());
            }
            JsonObject t = Documents.tree(call(root, "POST", "", body.build().toString(), 201));
            root.context().out().println(t.getString("token"));
            root.context().err().println("token " + t.getString("id") + " created: role " + t.getString("role")
                    + (t.containsKey("expiresAt") ? ", expires " + t.getString("expiresAt") : ", no expiry")
                    + " (shown once: keep it now)");
            return ExitCodes.OK;
        }, "token", "Create a token; it is printed once.").addOption(role).addOption(ttl).addOption(description).addOption(node);
        return new GroupCommand("create", "Create tokens.", "caractrl create token --role viewer", token).spec();
    }

    static CommandSpec get(RootCommand root) {
        return CommandSpecs.command((Callable<Integer>) () -> {
            JsonObject list = Documents.tree(call(root, "GET", "", null, 200));
            TextTable table = new TextTable(List.of("ID", "ROLE", "NODE", "DESCRIPTION", "CREATED", "EXPIRES", "REVOKED"));
            for (JsonValue v : list.getJsonArray("items")) {
                JsonObject t = v.asJsonObject();
                table.add(List.of(t.getString("id"), t.getString("role"), t.getString("node", ""), t.getString("description", ""),
                        age(root, t.getString("createdAt")), t.getString("expiresAt", "never"),
                        t.getBoolean("revoked", false) ? "yes" : "no"));
            }
            table.print(root.context().out());
            return ExitCodes.OK;
        }, "tokens", "List tokens (never their secrets).").aliases("token");
    }

    static CommandSpec delete(RootCommand root) {
        PositionalParamSpec ids = PositionalParamSpec.builder().paramLabel("ID").arity("1..*").required(true)
                .type(List.class).auxiliaryTypes(String.class).build();
        return CommandSpecs.command((Callable<Integer>) () -> root.context().eachNode(CommandSpecs.strings(ids), id -> {
            call(root, "DELETE", "/" + id, null, 204);
            root.context().out().println("token \"" + id + "\" revoked");
        }), "token", "Revoke tokens, by ID (see get tokens); effective at once.").aliases("tokens").addPositional(ids);
    }

    private static String age(RootCommand root, String instant) {
        try {
            return Ages.since(Instant.parse(instant), root.context().clock().instant());
        } catch (RuntimeException e) {
            return instant;
        }
    }

    private static String call(RootCommand root, String method, String suffix, String body, int expected) {
        Connection c = root.connection();
        String path = "/api/v1/tokens" + suffix;
        try (HttpTransport t = RemoteClient.transport(c)) {
            HttpTransport.Answer a = t.exchange(method, URI.create(c.url() + path), body);
            if (a.status() == expected) {
                return a.body();
            }
            String detail;
            try {
                Problem p = CaraJson.parseProblem(a.body());
                detail = p.detail() != null ? p.detail() : p.title();
            } catch (RuntimeException e) {
                detail = "HTTP " + a.status();
            }
            // Typed like the SDK client's answers, so that a refused token exits as one (4/5), not as 1.
            throw new Problem(null, "HTTP " + a.status(), a.status(), detail, path).toException(null);
        } catch (IOException e) {
            throw new UnavailableException("cannot reach the cara server at " + c.url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", e);
        }
    }
}
