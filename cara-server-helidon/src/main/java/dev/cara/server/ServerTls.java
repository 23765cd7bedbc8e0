package dev.cara.server;

import dev.cara.sdk.InvalidException;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;

import java.nio.file.Path;

/**
 * The server's TLS from PEM files, read by Helidon's {@code Keys}: a certificate chain and its
 * PKCS#8 key, and optionally a client CA. Client certificates are OPTIONAL, not required: operators
 * come with tokens, agents may come with a certificate instead, whose CN names their node.
 */
final class ServerTls {
    private ServerTls() {
    }

    static Tls create(ServerSettings.SecuritySettings s) {
        Path cert = s.tlsCert().orElseThrow();
        Path key = s.tlsKey().orElseThrow();
        Keys keys;
        try {
            keys = Keys.builder().pem(pem -> pem.key(Resource.create(key)).certChain(Resource.create(cert))).build();
        } catch (RuntimeException e) {
            throw new InvalidException("TLS_CERT " + cert + " and TLS_KEY " + key
                    + " must be a PEM certificate chain and its PEM (PKCS#8) private key: " + e.getMessage());
        }
        if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
            throw new InvalidException("TLS_CERT " + cert + " and TLS_KEY " + key
                    + " must be a PEM certificate chain and its PEM (PKCS#8) private key");
        }
        io.helidon.common.tls.TlsConfig.Builder tls = Tls.builder().privateKey(keys.privateKey().get()).privateKeyCertChain(keys.certChain());
        s.tlsClientCa().ifPresent(ca -> {
            Keys trust = Keys.builder().pem(pem -> pem.certificates(Resource.create(ca))).build();
            if (trust.certs().isEmpty()) {
                throw new InvalidException("TLS_CLIENT_CA " + ca + " holds no PEM certificate");
            }
            tls.trust(trust.certs()).clientAuth(TlsClientAuth.OPTIONAL);
        });
        return tls.build();
    }
}
