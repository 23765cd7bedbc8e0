package dev.cara.sdk.spi;

import dev.cara.sdk.InvalidException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A client's TLS context from PEM files, with the JDK alone: {@link CertificateFactory} reads PEM
 * certificates, and a PKCS#8 key is Base64 between its armour lines. Errors name the file and what it
 * should hold, never its content.
 */
final class ClientTls {
    private static final Logger LOG = Logger.getLogger(ClientTls.class.getName());
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448");

    private ClientTls() {
    }

    static SSLContext context(HttpTransport.Settings s) {
        try {
            TrustManager[] trust = null; // null: the JDK's default trust store
            if (s.insecureSkipTlsVerify()) {
                LOG.warning("TLS verification is off for " + s.baseUrl() + ": any server can pose as it; use a CA file instead");
                trust = new TrustManager[] {new TrustingEveryone()};
            } else if (s.trustedCertificates().isPresent()) {
                trust = trusting(s.trustedCertificates().get());
            }
            KeyManagerFactory keys = null;
            if (s.clientCertificate().isPresent()) {
                keys = keys(s.clientCertificate().get(), s.clientKey().orElseThrow());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trusting(Path caFile) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (X509Certificate c : certificates(caFile, "the CA file")) {
            store.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    private static KeyManagerFactory keys(Path certFile, Path keyFile) throws GeneralSecurityException {
        List<X509Certificate> chain = certificates(certFile, "the client certificate file");
        PrivateKey key = privateKey(keyFile);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        char[] none = new char[0];
        store.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, none);
        return kmf;
    }

    static List<X509Certificate> certificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certs = all.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new InvalidException(what + " " + file + " holds no certificate: it must be PEM (-----BEGIN CERTIFICATE-----)");
            }
            return certs;
        } catch (IOException e) {
            throw new InvalidException(what + " " + file + " cannot be read (" + e.getClass().getSimpleName() + "): check its path");
        } catch (GeneralSecurityException e) {
            throw new InvalidException(what + " " + file + " is not a PEM certificate file: " + e.getMessage());
        }
    }

    static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidException("the client key file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "): check its path and permissions");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new InvalidException("the client key file " + file + " must be a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----);"
                    + " convert another form with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new InvalidException("the client key file " + file + " is not valid PEM (bad Base64)");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            Optional<PrivateKey> key = tryKey(algorithm, der);
            if (key.isPresent()) {
                return key.get();
            }
        }
        throw new InvalidException("the client key file " + file + " holds no EC, RSA or EdDSA PKCS#8 key");
    }

    private static Optional<PrivateKey> tryKey(String algorithm, byte[] der) {
        try {
            return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Accepts every certificate for every name: an extended trust manager, so that the JDK skips its
     * own host-name check too ({@code --insecure-skip-tls-verify}).
     */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
