package dev.cara.ctl;

import dev.cara.sdk.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caractrl launcher against a real server over HTTPS with tokens: a context with the CA file and
 * a token file, token commands, a viewer refused a delete, a revoked token refused. No token is
 * ever on a command line.
 */
class CaractrlSecurityIT {
    @TempDir
    static Path home;
    static Processes.Server server;
    static TestCertificates ca;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.authority("caractrl test CA");
        TestCertificates.Paths tls = ca.localhostServer().writeTo(home, "server");
        ca.writeCertificate(home.resolve("ca.crt"));
        server = new Processes.Server(CaractrlIT.SERVER_JAR, List.of("--auth", "token", "--tls-cert", tls.certificate().toString(),
                "--tls-key", tls.key().toString(), "--admin-token-file", home.resolve("admin.token").toString()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Processes.Run ctl(String... args) throws Exception {
        return Processes.caractrl(home, "", args);
    }

    @Test
    void anOperatorWorksThroughAContextAndTokensKeepTheirRoles() throws Exception {
        String url = server.url.replace("127.0.0.1", "localhost");
        Processes.Run set = ctl("config", "set-context", "secure", "--server", url, "--certificate-authority",
                home.resolve("ca.crt").toString(), "--token-file", home.resolve("admin.token").toString());
        assertEquals(0, set.code(), set.toString());
        assertEquals(0, ctl("get", "nodes").code(), "the admin token from the context");

        Processes.Run created = ctl("create", "token", "--role", "viewer", "--description", "ci-viewer");
        assertEquals(0, created.code(), created.toString());
        String viewer = created.out().trim();
        assertTrue(viewer.startsWith("cara_"), created.toString());
        Path viewerFile = Files.writeString(home.resolve("viewer.token"), viewer + "\n");

        Processes.Run denied = ctl("--token-file", viewerFile.toString(), "delete", "node", "anything");
        assertEquals(5, denied.code(), denied.toString());
        assertTrue(denied.err().contains("token \"ci-viewer\" (role viewer) may not delete node \"anything\""), denied.err());
        assertFalse(denied.err().contains(viewer.substring(22)), "the token never shows in an error");

        Processes.Run list = ctl("get", "tokens");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains("ci-viewer") && !list.out().contains(viewer.substring(22)), list.out());

        String id = viewer.substring(5, 21);
        HttpClient http = HttpClient.newBuilder().sslContext(ca.clientContext(null)).build();
        HttpRequest asViewer = HttpRequest.newBuilder(URI.create(url + "/api/v1/nodes")).header("Authorization", "Bearer " + viewer)
                .build();
        assertEquals(200, http.send(asViewer, HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(0, ctl("delete", "token", id).code());
        // Refused within a second of the revocation (the server keeps a success for at most that long).
        long revokedAt = System.nanoTime();
        int status;
        do {
            status = http.send(asViewer, HttpResponse.BodyHandlers.discarding()).statusCode();
        } while (status != 401 && System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos());
        assertEquals(401, status, "the revoked token still worked a second after caractrl revoked it");
        Processes.Run revoked = ctl("--token-file", viewerFile.toString(), "get", "nodes");
        assertEquals(4, revoked.code(), revoked.toString());
        assertTrue(revoked.err().contains("was revoked"), revoked.err());
        assertTrue(revoked.err().startsWith("Error: the server refused the token: ")
                && revoked.err().contains("check `caractrl config get-contexts`"), revoked.err());

        Processes.Run noToken = ctl("--token-file", home.resolve("missing.token").toString(), "get", "nodes");
        assertEquals(4, noToken.code());
        assertTrue(noToken.err().contains("needs a bearer token"), noToken.err());
    }

    @Test
    void anUntrustedServerIsRefusedUnlessVerificationIsSkippedWithAWarning() throws Exception {
        String url = server.url.replace("127.0.0.1", "localhost");
        Path admin = home.resolve("admin.token");
        Processes.Run untrusted = ctl("--server", url, "--token-file", admin.toString(), "get", "nodes");
        assertEquals(3, untrusted.code(), untrusted.toString());
        Processes.Run skipped = ctl("--server", url, "--token-file", admin.toString(), "--insecure-skip-tls-verify", "get", "nodes");
        assertEquals(0, skipped.code(), skipped.toString());
        assertTrue(skipped.err().contains("insecure-skip-tls-verify"), skipped.err());
    }
}
