package dev.cara.sdk.spi;

import dev.cara.sdk.Identity;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a request's credentials into an {@link Identity}: the authentication SPI. The server asks it
 * once per request; {@link #tokens} is the standard one (cara's bearer tokens, and client
 * certificates as node credentials). An embedding application plugs in its own (OIDC, a gateway's
 * header) and keeps the SDK's {@link dev.cara.sdk.Authorizer}.
 *
 * <p>Implementations must be thread-safe and should be fast: they run on every request.
 */
@FunctionalInterface
public interface Authenticator {
    Result authenticate(Credentials credentials);

    /** The standard authenticator over a token store, judging expiry by {@code clock}. */
    static Authenticator tokens(TokenStore store, Clock clock) {
        return new TokenAuthenticator(store, clock);
    }

    /** The outcome: who it is, or why not. */
    sealed interface Result permits Authenticated, Unauthenticated {
    }

    record Authenticated(Identity identity) implements Result {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * Refused. The reason goes into the 401's detail: it says what is wrong (missing, malformed,
     * unknown, expired, revoked) without revealing anything an attacker could use.
     */
    record Unauthenticated(String reason) implements Result {
        public Unauthenticated {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What a request presented: the {@code Authorization} header's value, and the common name of a
     * client certificate that TLS has already verified against the configured CA. Its
     * {@link #toString} never shows the header, which may hold a secret.
     */
    final class Credentials {
        private static final Credentials NONE = new Credentials(null, null);
        private final String authorization;
        private final String certificateName;

        private Credentials(String authorization, String certificateName) {
            this.authorization = authorization;
            this.certificateName = certificateName;
        }

        public static Credentials none() {
            return NONE;
        }

        /** Credentials from the request: either may be null when absent. */
        public static Credentials of(String authorizationHeader, String verifiedCertificateName) {
            return new Credentials(authorizationHeader, verifiedCertificateName);
        }

        /** The {@code Authorization} header as sent. */
        public Optional<String> authorization() {
            return Optional.ofNullable(authorization);
        }

        /** The token of a {@code Bearer} authorization (the scheme case-insensitive, RFC 7235). */
        public Optional<String> bearerToken() {
            if (authorization == null || authorization.length() < 7
                    || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            return Optional.of(authorization.substring(7).trim());
        }

        /** The CN of a verified client certificate. */
        public Optional<String> certificateName() {
            return Optional.ofNullable(certificateName);
        }

        @Override
        public String toString() {
            return "Credentials[authorization=" + (authorization == null ? "none" : "***")
                    + ", certificate=" + (certificateName == null ? "none" : certificateName) + "]";
        }
    }
}
