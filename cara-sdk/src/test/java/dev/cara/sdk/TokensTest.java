package dev.cara.sdk;

import dev.cara.sdk.spi.Authenticator;
import dev.cara.sdk.spi.Authenticator.Authenticated;
import dev.cara.sdk.spi.Authenticator.Credentials;
import dev.cara.sdk.spi.Authenticator.Unauthenticated;
import dev.cara.sdk.spi.MemoryTokenStore;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issuing tokens, their shape, and the standard authenticator's answers. */
class TokensTest {
    private final FakeTime time = new FakeTime();
    private final MemoryTokenStore store = MemoryTokenStore.create();
    private final Tokens tokens = Tokens.over(store, time);
    private final Authenticator auth = Authenticator.tokens(store, time);

    private Authenticator.Result bearer(String token) {
        return auth.authenticate(Credentials.of("Bearer " + token, null));
    }

    @Test
    void anIssuedTokenIsShownOnceAndOnlyItsHashIsStored() {
        IssuedToken issued = tokens.issue(Role.VIEWER, "", "ci", Optional.empty());
        assertTrue(issued.token().matches("cara_[0-9a-f]{16}_[0-9a-f]{40}"), issued.token());
        String secret = issued.token().substring(22);
        TokenRecord stored = store.get(issued.record().id()).orElseThrow();
        assertEquals(Tokens.hash(secret), stored.secretHash());
        assertFalse(stored.toString().contains(secret), stored.toString());
        assertFalse(issued.toString().contains(secret), "toString must not show the token: " + issued);
        assertFalse(stored.toString().contains(stored.secretHash()));
    }

    @Test
    void tokensAreDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertTrue(seen.add(tokens.issue(Role.ADMIN, "", "", Optional.empty()).token()));
        }
    }

    @Test
    void aGoodTokenAuthenticatesAsItsRoleAndDescription() {
        IssuedToken t = tokens.issue(Role.VIEWER, "", "ci-viewer", Optional.empty());
        Authenticated a = assertInstanceOf(Authenticated.class, bearer(t.token()));
        assertEquals(Identity.of("token", "ci-viewer", Role.VIEWER), a.identity());
        assertInstanceOf(Authenticated.class, auth.authenticate(Credentials.of("bearer " + t.token(), null)),
                "the scheme is case-insensitive (RFC 7235)");
    }

    @Test
    void aNodeCredentialAuthenticatesAsItsNode() {
        IssuedToken t = tokens.issue(Role.NODE, "w1", "", Optional.empty());
        Authenticated a = assertInstanceOf(Authenticated.class, bearer(t.token()));
        assertEquals(Optional.of("w1"), a.identity().boundNode());
    }

    @Test
    void missingMalformedAndWrongTokensAreRefusedSayingWhich() {
        IssuedToken t = tokens.issue(Role.ADMIN, "", "", Optional.empty());
        String missing = assertInstanceOf(Unauthenticated.class, auth.authenticate(Credentials.none())).reason();
        assertTrue(missing.contains("needs a bearer token"), missing);
        String basic = assertInstanceOf(Unauthenticated.class, auth.authenticate(Credentials.of("Basic eDp5", null))).reason();
        assertTrue(basic.contains("Bearer scheme"), basic);
        String malformed = assertInstanceOf(Unauthenticated.class, bearer("hunter2")).reason();
        assertTrue(malformed.contains("malformed"), malformed);
        String wrongSecret = t.token().substring(0, 22) + "0".repeat(40);
        assertNotEquals(t.token(), wrongSecret);
        Unauthenticated wrong = assertInstanceOf(Unauthenticated.class, bearer(wrongSecret));
        Unauthenticated unknown = assertInstanceOf(Unauthenticated.class, bearer("cara_" + "1".repeat(16) + "_" + "2".repeat(40)));
        assertEquals(wrong.reason(), unknown.reason(), "a wrong secret and an unknown id must read the same");
        assertFalse(wrong.reason().contains(wrongSecret.substring(22)), "a refusal never echoes the secret");
    }

    @Test
    void aSecretMatchesOnlyTheHashOfItselfAndAMalformedStoredHashMatchesNothing() {
        IssuedToken t = tokens.issue(Role.ADMIN, "", "", Optional.empty());
        String secret = t.token().substring(22);
        TokenRecord stored = store.get(t.record().id()).orElseThrow();
        assertTrue(Tokens.matches(stored, secret));
        assertFalse(Tokens.matches(stored, "0".repeat(40)));
        for (String hash : new String[] {"", "zz", stored.secretHash().substring(2), stored.secretHash() + "00"}) {
            TokenRecord broken = new TokenRecord(stored.id(), "", Role.ADMIN, "", stored.createdAt(), Optional.empty(), false, hash);
            assertFalse(Tokens.matches(broken, secret), hash);
        }
    }

    @Test
    void anExpiredTokenIsRefusedFromTheMomentItExpires() {
        IssuedToken t = tokens.issue(Role.ADMIN, "", "", Optional.of(Duration.ofHours(24)));
        time.advance(Duration.ofHours(24).minusNanos(1));
        assertInstanceOf(Authenticated.class, bearer(t.token()));
        time.advance(Duration.ofNanos(1));
        String reason = assertInstanceOf(Unauthenticated.class, bearer(t.token())).reason();
        assertTrue(reason.contains("expired at 2026-01-02T00:00:01Z"), reason);
    }

    @Test
    void aRevokedTokenIsRefusedAtItsNextRequest() {
        IssuedToken t = tokens.issue(Role.ADMIN, "", "", Optional.empty());
        assertInstanceOf(Authenticated.class, bearer(t.token()));
        store.revoke(t.record().id());
        String reason = assertInstanceOf(Unauthenticated.class, bearer(t.token())).reason();
        assertTrue(reason.contains("was revoked"), reason);
    }

    @Test
    void aVerifiedClientCertificateIsTheCredentialOfTheNodeItNames() {
        Authenticated a = assertInstanceOf(Authenticated.class, auth.authenticate(Credentials.of(null, "w7")));
        assertEquals(Identity.ofNode("certificate", "w7", "w7"), a.identity());
        assertInstanceOf(Unauthenticated.class, auth.authenticate(Credentials.of(null, "Not A Node")));
    }

    @Test
    void credentialsNeverShowTheirToken() {
        assertFalse(Credentials.of("Bearer cara_secret", null).toString().contains("secret"));
        assertFalse(new Tokens.Parsed("ab", "s3cr3t").toString().contains("s3cr3t"));
    }

    @Test
    void aNonPositiveTtlIsRefused() {
        InvalidException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidException.class,
                () -> tokens.issue(Role.ADMIN, "", "", Optional.of(Duration.ZERO)));
        assertTrue(e.getMessage().startsWith("ttl:"), e.getMessage());
    }

    // ---------------------------------------------------------------- enrollment

    @Test
    void registeringWithABootstrapTokenHandsOutACredentialBoundToTheNode() {
        Enrollment enrollment = new Enrollment(tokens);
        IssuedToken node = enrollment.afterRegistration(Identity.of("token", "rack-7", Role.AGENT_BOOTSTRAP), "w1").orElseThrow();
        Authenticated a = assertInstanceOf(Authenticated.class, bearer(node.token()));
        assertEquals(Role.NODE, a.identity().role());
        assertEquals("w1", a.identity().node());
        assertTrue(node.record().expiresAt().isEmpty());
    }

    @Test
    void registeringWithANodeCredentialOrAsAnAdminHandsOutNothing() {
        Enrollment enrollment = new Enrollment(tokens);
        assertEquals(Optional.empty(), enrollment.afterRegistration(Identity.ofNode("token", "node w1", "w1"), "w1"));
        assertEquals(Optional.empty(), enrollment.afterRegistration(Identity.of("token", "ops", Role.ADMIN), "w1"));
        assertEquals(0, store.list().size());
    }
}
