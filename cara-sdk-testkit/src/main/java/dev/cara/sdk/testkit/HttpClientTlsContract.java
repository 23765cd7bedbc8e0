package dev.cara.sdk.testkit;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.UnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link HttpClientContract}'s cases for the bearer token and TLS: a token file read again on each
 * request, a token kept out of messages, a CA file, a client certificate, skipping verification.
 * Extend {@link HttpClientContract}, which runs these with the others.
 */
public abstract class HttpClientTlsContract extends HttpClientContractBase {
    @Test
    void theBearerTokenIsSentWithEveryRequestAndAFileIsReadAgainEachTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path file = dir.resolve("token");
        java.nio.file.Files.writeString(file, "cara_first\n");
        server.answer(204, null, "");
        server.answer(204, null, "");
        try (CaraClient c = builder().baseUrl(base).bearerToken(dev.cara.sdk.BearerToken.file(file)).build()) {
            c.heartbeat("w1", HeartbeatReport.EMPTY);
            java.nio.file.Files.writeString(file, "cara_rotated\n");
            c.heartbeat("w1", HeartbeatReport.EMPTY);
        }
        assertEquals(List.of("Bearer cara_first", "Bearer cara_rotated"), server.authorizations);
    }

    @Test
    void theTokenNeverAppearsInAnErrorOrInToString() {
        String token = "cara_0123456789abcdef_" + "9".repeat(40);
        answerProblem(401, "https://cara.dev/problems/unauthenticated", "the bearer token is not valid");
        try (CaraClient c = builder().baseUrl(base).bearerToken(token).build()) {
            CaraException e = assertThrows(CaraException.class, () -> c.delete("w1"));
            assertFalse(e.getMessage().contains("9999"), e.getMessage());
            assertFalse(c.toString().contains("9999"), c.toString());
        }
        assertFalse(dev.cara.sdk.BearerToken.of(token).toString().contains("9999"));
    }

    @Test
    void httpsWithTheServersCaFileVerifiesItAndPresentsAClientCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        TestCertificates ca = TestCertificates.authority("contract CA");
        TestCertificates.Issued serverCert = ca.localhostServer();
        TestCertificates.Paths client = ca.client("w1").writeTo(dir, "client");
        try (ScriptedHttpServer https = ScriptedHttpServer.tls(serverContext(serverCert, ca), true)) {
            https.answer(200, "application/json", EMPTY_NODE_LIST);
            try (CaraClient c = builder().baseUrl(https.url()).trustedCertificates(ca.writeCertificate(dir.resolve("ca.crt")))
                    .clientCertificate(client.certificate(), client.key()).bearerToken("cara_t").build()) {
                assertEquals(0, c.list(LabelSelector.everything()).items().size());
            }
            assertEquals(List.of("CN=w1"), https.clientCertificates);
            assertEquals(List.of("Bearer cara_t"), https.authorizations);
        }
    }

    @Test
    void httpsRefusesAServerItsCaFileDoesNotVouchFor(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        TestCertificates ca = TestCertificates.authority("contract CA");
        TestCertificates other = TestCertificates.authority("someone else");
        try (ScriptedHttpServer https = ScriptedHttpServer.tls(serverContext(ca.localhostServer(), ca), false)) {
            https.answer(200, "application/json", EMPTY_NODE_LIST);
            try (CaraClient c = builder().baseUrl(https.url()).trustedCertificates(other.writeCertificate(dir.resolve("other.crt")))
                    .bearerToken("cara_secret_never_sent").build()) {
                UnavailableException e = assertThrows(UnavailableException.class, () -> c.list(LabelSelector.everything()));
                assertFalse(e.getMessage().contains("cara_secret_never_sent"), e.getMessage());
            }
            assertEquals(List.of(), https.authorizations, "no request reached the untrusted server");
        }
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyServer() throws IOException {
        TestCertificates ca = TestCertificates.authority("contract CA");
        TestCertificates.Issued wrongName = ca.server("elsewhere", List.of("elsewhere.example"), List.of());
        try (ScriptedHttpServer https = ScriptedHttpServer.tls(serverContext(wrongName, ca), false)) {
            https.answer(200, "application/json", EMPTY_NODE_LIST);
            try (CaraClient c = builder().baseUrl(https.url()).insecureSkipTlsVerify().build()) {
                assertEquals(0, c.list(LabelSelector.everything()).items().size());
            }
        }
    }

    private static javax.net.ssl.SSLContext serverContext(TestCertificates.Issued cert, TestCertificates ca) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", cert.keys().getPrivate(), new char[0],
                    new java.security.cert.Certificate[] {cert.certificate(), ca.certificate()});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            // The server trusts the same CA for client certificates.
            ctx.init(kmf.getKeyManagers(), ca.trustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
