package dev.cara.agent;

import dev.cara.sdk.testkit.JsonTrees;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ForbiddenException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server with {@code --auth token} over HTTPS (a test-time CA) and a real agent process that
 * starts with nothing but a bootstrap token: it enrolls, keeps its node credential 0600, heartbeats
 * with it, registers again with it after its node is deleted, and that credential cannot heartbeat
 * another node.
 */
class AgentSecurityIT {
    private static final Duration SOON = Duration.ofSeconds(60); // generous: the build machine is shared
    private static final Pattern LISTENING = Pattern.compile("listening on (https://\\S+)");

    @TempDir
    Path work;

    @Test
    void anAgentEnrollsWithABootstrapTokenKeepsItsCredentialAndReRegistersWithItAfterADelete() throws Exception {
        TestCertificates ca = TestCertificates.authority("agent IT CA");
        TestCertificates.Paths tls = ca.localhostServer().writeTo(work, "server");
        Path caFile = ca.writeCertificate(work.resolve("ca.crt"));
        try (ChildProcess server = ChildProcess.start("server", work, ChildProcess.serverJar(), Map.of(), List.of("--host", "127.0.0.1",
                "--port", "0", "--store", "memory:", "--auth", "token", "--heartbeat-timeout", "1m",
                "--tls-cert", tls.certificate().toString(), "--tls-key", tls.key().toString()))) {
            String url = server.awaitLine(LISTENING, SOON).replace("0.0.0.0", "127.0.0.1").replace("127.0.0.1", "localhost");
            String admin = Files.readString(work.resolve("cara-data").resolve("admin-token")).trim();
            try (CaraClient operator = CaraClient.httpBuilder().baseUrl(url).bearerToken(admin).trustedCertificates(caFile).build()) {
                String bootstrap = tokens(ca, url, admin, "POST", "", "{\"role\":\"agent-bootstrap\"}", 201);
                Path bootstrapFile = Files.writeString(work.resolve("bootstrap.token"), bootstrap + "\n");
                Path credential = work.resolve("agent-state").resolve("credential");

                List<String> agentArgs = List.of("--server", url, "--node-name", "secure-1", "--listen-address", "127.0.0.1",
                        "--listen-port", "0", "--heartbeat-interval", "1s", "--token-file", bootstrapFile.toString(),
                        "--credential-file", credential.toString(), "--certificate-authority", caFile.toString());
                String nodeToken;
                try (ChildProcess agent = ChildProcess.start("agent", work, ChildProcess.agentJar(), Map.of(), agentArgs)) {
                    Node ready = Eventually.await(SOON, "secure-1 Ready", () -> operator.get("secure-1"), n -> n.state() == NodeState.READY);
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credential)));
                    nodeToken = Files.readString(credential).trim();
                    assertTrue(nodeToken.startsWith("cara_") && !nodeToken.equals(bootstrap), "a node credential of its own");
                    Instant first = ready.status().lastHeartbeat();
                    Eventually.await(SOON, "a later heartbeat, sent with the credential", () -> operator.get("secure-1"),
                            n -> n.status().lastHeartbeat() != null && n.status().lastHeartbeat().isAfter(first));
                    // Deleted: the agent stops heartbeating and idles (it registers again when restarted).
                    operator.delete("secure-1");
                    Eventually.await(SOON, "the agent saw the delete", () -> agent.output().stream().anyMatch(l -> l.contains("deleted")));
                    String log = String.join("\n", agent.output());
                    assertFalse(log.contains(nodeToken) || log.contains(bootstrap), "no token in the agent's log");
                }

                // The bootstrap token is revoked, so only the stored credential can register the node again.
                tokens(ca, url, admin, "DELETE", "/" + bootstrap.substring(5, 21), null, 204);
                try (ChildProcess restarted = ChildProcess.start("agent-again", work, ChildProcess.agentJar(), Map.of(), agentArgs)) {
                    Eventually.await(SOON, "secure-1 registered again and Ready", () -> {
                        try {
                            return operator.get("secure-1");
                        } catch (NotFoundException e) {
                            return null;
                        }
                    }, n -> n != null && n.state() == NodeState.READY);
                    assertEquals(nodeToken, Files.readString(credential).trim(), "the same credential, kept");
                }

                operator.register(Node.builder("someone-else").build());
                try (CaraClient asNode = CaraClient.httpBuilder().baseUrl(url).bearerToken(dev.cara.sdk.BearerToken.file(credential))
                        .trustedCertificates(caFile).build()) {
                    ForbiddenException denied = assertThrows(ForbiddenException.class,
                            () -> asNode.heartbeat("someone-else", HeartbeatReport.claiming(NodeState.READY)));
                    assertTrue(denied.getMessage().contains("someone-else"), denied.getMessage());
                    Node untouched = operator.get("someone-else");
                    assertEquals(null, untouched.status().lastHeartbeat(), "the other node is untouched");
                }
            }
        }
    }

    /** The token API, which the SDK client does not speak (caractrl does): the new token, or "". */
    private static String tokens(TestCertificates ca, String url, String admin, String method, String suffix, String body,
                                 int expected) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(ca.clientContext(null)).build();
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/api/v1/tokens" + suffix))
                .header("Authorization", "Bearer " + admin)
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        java.net.http.HttpResponse<String> r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return r.body().isEmpty() ? "" : JsonTrees.object(r.body()).getString("token");
    }
}
