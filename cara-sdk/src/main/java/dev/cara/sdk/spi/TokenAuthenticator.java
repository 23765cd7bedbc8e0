package dev.cara.sdk.spi;

import dev.cara.sdk.Identity;
import dev.cara.sdk.Names;
import dev.cara.sdk.Tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The standard {@link Authenticator}: a cara bearer token, looked up by its id and checked against
 * its stored hash; or, without a token, a client certificate verified by TLS, whose CN names the
 * node it may act for. A token wins over a certificate when both come.
 *
 * <p>What a refusal says: "missing" and "malformed" are safe to say; every other refusal of a
 * well-formed token only says more (expired, revoked) after the secret matched, so that knowing an
 * id alone teaches an attacker nothing. Holds no state of its own; the store is read on each call,
 * so a revocation counts from the next request.
 */
final class TokenAuthenticator implements Authenticator {
    static final String UNKNOWN = "the bearer token is not valid: check it was copied whole, or ask an admin for a new one";

    private final TokenStore store;
    private final Clock clock;

    TokenAuthenticator(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Result authenticate(Credentials credentials) {
        Optional<String> header = credentials.authorization();
        if (header.isEmpty()) {
            return credentials.certificateName().map(TokenAuthenticator::certificate)
                    .orElseGet(() -> new Unauthenticated("this request needs a bearer token:"
                            + " send the header \"Authorization: Bearer cara_...\""));
        }
        Optional<String> bearer = credentials.bearerToken();
        if (bearer.isEmpty()) {
            return new Unauthenticated("the Authorization header must use the Bearer scheme: \"Authorization: Bearer cara_...\"");
        }
        Optional<Tokens.Parsed> parsed = Tokens.parse(bearer.get());
        if (parsed.isEmpty()) {
            return new Unauthenticated("the bearer token is malformed: a cara token looks like cara_<16 hex digits>_<40 hex digits>");
        }
        Optional<TokenRecord> found = store.get(parsed.get().id());
        // An unknown id still pays for a hash, so that timing does not tell known ids from unknown ones.
        TokenRecord record = found.orElse(null);
        boolean matches = record != null ? Tokens.matches(record, parsed.get().secret())
                : Tokens.hash(parsed.get().secret()).isEmpty();
        if (!matches) {
            return new Unauthenticated(UNKNOWN);
        }
        if (record.revoked()) {
            return new Unauthenticated("token " + record.id() + " was revoked: ask an admin for a new one");
        }
        Instant now = clock.instant();
        if (record.expiredAt(now)) {
            return new Unauthenticated("token " + record.id() + " expired at " + record.expiresAt().orElseThrow()
                    + ": ask an admin for a new one");
        }
        String name = record.displayName();
        return new Authenticated(record.node().isEmpty() ? Identity.of("token", name, record.role())
                : Identity.ofNode("token", name, record.node()));
    }

    private static Result certificate(String commonName) {
        if (!Names.isValidNodeName(commonName)) {
            return new Unauthenticated("the client certificate's CN \"" + commonName + "\" is not a node name");
        }
        return new Authenticated(Identity.ofNode("certificate", commonName, commonName));
    }
}
