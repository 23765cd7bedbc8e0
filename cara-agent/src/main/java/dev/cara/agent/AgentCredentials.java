package dev.cara.agent;

import dev.cara.sdk.BearerToken;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.HttpCaraClientBuilder;
import dev.cara.sdk.internal.Settings;
import dev.cara.sdk.VersionInfo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * How the agent proves who it is: the token it starts with ({@code TOKEN_FILE}, a bootstrap token
 * or a node credential given by hand), and the node credential that the server hands out in the
 * {@code Cara-Node-Token} header of its first registration, which the agent keeps in
 * {@code CREDENTIAL_FILE} (mode 0600, written atomically) and sends from then on, also when it
 * registers its node again after a delete or a restart. The stored credential wins over the token
 * file whenever it exists. Plus the TLS settings: the CA to trust, an mTLS client certificate, or
 * (for tests) no verification at all.
 *
 * <p>Both files are read again for each request ({@link BearerToken#file}), so a credential the
 * agent writes, or an operator rotates, counts from the next request on. State: none in memory; the
 * credential file is written only by the HTTP client's caller thread (the heartbeat timer thread).
 *
 * @param tokenFile             the token to start with, or empty to send none (a server in {@code --auth none})
 * @param credentialFile        where the node credential is kept (default {@code ./cara-agent-credential})
 * @param certificateAuthority  a PEM file of the CAs to trust for an https server, instead of the JDK's
 * @param insecureSkipTlsVerify accept any server certificate (tests only; warns)
 * @param clientCertificate     a PEM certificate chain to present (mTLS), with {@code clientKey}
 * @param clientKey             its PEM (PKCS#8) key
 */
public record AgentCredentials(Optional<Path> tokenFile, Path credentialFile, Optional<Path> certificateAuthority,
                               boolean insecureSkipTlsVerify, Optional<Path> clientCertificate, Optional<Path> clientKey) {
    public static final String TOKEN_FILE = "TOKEN_FILE";
    public static final String CREDENTIAL_FILE = "CREDENTIAL_FILE";
    public static final String CERTIFICATE_AUTHORITY = "CERTIFICATE_AUTHORITY";
    public static final String INSECURE_SKIP_TLS_VERIFY = "INSECURE_SKIP_TLS_VERIFY";
    public static final String CLIENT_CERTIFICATE = "CLIENT_CERTIFICATE";
    public static final String CLIENT_KEY = "CLIENT_KEY";
    /** Every key above: settings a config file may name beside {@link AgentSettings#DEFAULTS}'s. */
    public static final java.util.Set<String> KEYS = java.util.Set.of(TOKEN_FILE, CREDENTIAL_FILE, CERTIFICATE_AUTHORITY,
            INSECURE_SKIP_TLS_VERIFY, CLIENT_CERTIFICATE, CLIENT_KEY);
    /** The default credential file, in the working directory (systemd: {@code WorkingDirectory=/var/lib/cara-agent}). */
    public static final Path DEFAULT_CREDENTIAL_FILE = Path.of("cara-agent-credential");

    private static final Logger LOG = Logger.getLogger(AgentCredentials.class.getName());

    public AgentCredentials {
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(credentialFile, "credentialFile");
        Objects.requireNonNull(certificateAuthority, "certificateAuthority");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(clientKey, "clientKey");
    }

    /** No token, the default credential file, the JDK's trust store. */
    public static AgentCredentials none() {
        return new AgentCredentials(Optional.empty(), DEFAULT_CREDENTIAL_FILE, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /**
     * Reads {@code TOKEN_FILE}, {@code CREDENTIAL_FILE}, {@code CERTIFICATE_AUTHORITY},
     * {@code INSECURE_SKIP_TLS_VERIFY}, {@code CLIENT_CERTIFICATE} and {@code CLIENT_KEY}.
     *
     * @throws dev.cara.sdk.InvalidException naming the setting when a file is missing, or only one of
     *                                       the client certificate and its key is given
     */
    public static AgentCredentials from(Settings s) {
        Optional<Path> cert = existing(s, CLIENT_CERTIFICATE);
        Optional<Path> key = existing(s, CLIENT_KEY);
        if (cert.isPresent() != key.isPresent()) {
            throw s.invalid(cert.isPresent() ? CLIENT_KEY : CLIENT_CERTIFICATE,
                    "given together with " + (cert.isPresent() ? CLIENT_CERTIFICATE : CLIENT_KEY) + " (a certificate and its key)");
        }
        return new AgentCredentials(s.string(TOKEN_FILE).filter(v -> !v.isBlank()).map(Path::of),
                s.string(CREDENTIAL_FILE).filter(v -> !v.isBlank()).map(Path::of).orElse(DEFAULT_CREDENTIAL_FILE),
                existing(s, CERTIFICATE_AUTHORITY), s.bool(INSECURE_SKIP_TLS_VERIFY, false), cert, key);
    }

    private static Optional<Path> existing(Settings s, String key) {
        Optional<Path> p = s.string(key).filter(v -> !v.isBlank()).map(Path::of);
        if (p.isPresent() && !Files.isReadable(p.get())) {
            throw s.invalid(key, "a readable PEM file (it does not exist or cannot be read)");
        }
        return p;
    }

    /** The token to send now: the stored node credential once there is one, else the token file's. */
    public BearerToken token() {
        BearerToken stored = BearerToken.file(credentialFile);
        BearerToken given = tokenFile.map(BearerToken::file).orElse(BearerToken.none());
        return new BearerToken() {
            @Override
            public Optional<String> read() {
                return stored.read().or(given::read);
            }

            @Override
            public String toString() {
                return "BearerToken[" + credentialFile + ", else " + given + "]";
            }
        };
    }

    /**
     * Keeps a node credential: written to a temporary file beside {@link #credentialFile} that only
     * the owner may read (0600 from its creation, never wider), then moved over it atomically, so a
     * crash leaves the old credential or the new one, never half of one.
     *
     * @throws AgentException when it cannot be written (the credential would be lost: the server sends it once)
     */
    public void store(String credential) {
        Path target = credentialFile.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            Files.writeString(temp, credential + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            LOG.info(() -> "stored the node credential in " + target + " (mode 0600); it is used from now on");
        } catch (IOException e) {
            throw new AgentException("cannot store the node credential in " + target + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "): make its directory writable or set CREDENTIAL_FILE (--credential-file)");
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do: the message above says what failed
                }
            }
        }
    }

    /** The agent's HTTP client with these credentials: it stores a node credential the server hands out. */
    public CaraClient client(URI serverUrl, Duration requestTimeout) {
        HttpCaraClientBuilder b = CaraClient.httpBuilder()
                .baseUrl(serverUrl)
                .requestTimeout(requestTimeout)
                .userAgent("cara-agent/" + VersionInfo.current().version())
                .bearerToken(token())
                .onNodeCredential(this::store);
        certificateAuthority.ifPresent(b::trustedCertificates);
        if (insecureSkipTlsVerify) {
            b.insecureSkipTlsVerify();
        }
        clientCertificate.ifPresent(c -> b.clientCertificate(c, clientKey.orElseThrow()));
        return b.build();
    }
}
