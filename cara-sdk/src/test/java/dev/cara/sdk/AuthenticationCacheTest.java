package dev.cara.sdk;

import dev.cara.sdk.spi.Authenticator;
import dev.cara.sdk.spi.Authenticator.Authenticated;
import dev.cara.sdk.spi.Authenticator.Credentials;
import dev.cara.sdk.spi.Authenticator.Unauthenticated;
import dev.cara.sdk.spi.MemoryTokenStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/** The token-check cache on fake time: what it saves, and the one-second bound on a revocation. */
class AuthenticationCacheTest {
    private final FakeTime time = new FakeTime();
    private final MemoryTokenStore store = MemoryTokenStore.create();
    private final Tokens tokens = Tokens.over(store, time);
    private final AtomicInteger asked = new AtomicInteger();
    private final Authenticator standard = Authenticator.tokens(store, time);
    private final Authenticator counting = c -> {
        asked.incrementAndGet();
        return standard.authenticate(c);
    };
    private final AuthenticationCache cache = AuthenticationCache.over(counting, time);

    private Authenticator.Result bearer(String token) {
        return cache.authenticate(Credentials.of("Bearer " + token, null));
    }

    @Test
    void aSuccessIsReusedWithoutAskingTheDelegateAgainWithinASecond() {
        String viewer = tokens.issue(Role.VIEWER, "", "ci", Optional.empty()).token();
        assertInstanceOf(Authenticated.class, bearer(viewer));
        time.advance(Duration.ofMillis(999));
        assertEquals(Identity.of("token", "ci", Role.VIEWER), assertInstanceOf(Authenticated.class, bearer(viewer)).identity());
        assertEquals(1, asked.get(), "the second check was a hit");
        time.advance(Duration.ofMillis(1));
        assertInstanceOf(Authenticated.class, bearer(viewer));
        assertEquals(2, asked.get(), "a second after it was asked, the delegate is asked again");
    }

    @Test
    void aRevokedTokenIsRefusedOneSecondAfterItWasLastAskedAtTheLatest() {
        var issued = tokens.issue(Role.ADMIN, "", "ops", Optional.empty());
        assertInstanceOf(Authenticated.class, bearer(issued.token()));
        time.advance(Duration.ofMillis(400));
        store.revoke(issued.record().id()); // on another replica: this cache is not told
        assertInstanceOf(Authenticated.class, bearer(issued.token()), "still within the second");
        time.advance(Duration.ofMillis(600));
        Unauthenticated refused = assertInstanceOf(Unauthenticated.class, bearer(issued.token()));
        assertEquals("token " + issued.record().id() + " was revoked: ask an admin for a new one", refused.reason());
        assertInstanceOf(Unauthenticated.class, bearer(issued.token()), "and a refusal is not cached as a success");
    }

    @Test
    void whateverTheTimingARevocationCountsWithinOneSecond() {
        // Requests at arbitrary gaps, a revocation at an arbitrary moment: no success later than 1 s after it.
        qt().withExamples(200).forAll(integers().between(1, 1500), integers().between(0, 40), integers().between(1, 60))
                .checkAssert((gapMillis, revokeAfter, requests) -> {
                    FakeTime t = new FakeTime();
                    MemoryTokenStore s = MemoryTokenStore.create();
                    var issued = Tokens.over(s, t).issue(Role.VIEWER, "", "", Optional.empty());
                    AuthenticationCache c = AuthenticationCache.over(Authenticator.tokens(s, t), t);
                    long revokedAt = -1;
                    for (int i = 0; i < requests; i++) {
                        if (i == revokeAfter) {
                            s.revoke(issued.record().id());
                            revokedAt = t.read();
                        }
                        Authenticator.Result r = c.authenticate(Credentials.of("Bearer " + issued.token(), null));
                        if (revokedAt >= 0 && t.read() - revokedAt >= Duration.ofSeconds(1).toNanos()) {
                            assertInstanceOf(Unauthenticated.class, r, "accepted " + (t.read() - revokedAt) + " ns after revocation");
                        }
                        t.advance(Duration.ofMillis(gapMillis));
                    }
                });
    }

    @Test
    void theAgeCountsFromBeforeTheDelegateWasAskedSoASlowStoreDoesNotStretchIt() {
        String viewer = tokens.issue(Role.VIEWER, "", "", Optional.empty()).token();
        AuthenticationCache slow = AuthenticationCache.over(c -> {
            asked.incrementAndGet();
            time.advance(Duration.ofMillis(700)); // the store took 0.7 s to answer
            return standard.authenticate(c);
        }, time);
        slow.authenticate(Credentials.of("Bearer " + viewer, null));
        time.advance(Duration.ofMillis(300));
        slow.authenticate(Credentials.of("Bearer " + viewer, null));
        assertEquals(2, asked.get(), "1 s after the first question, not after its answer");
    }

    @Test
    void forgetAllMakesARevocationOnThisReplicaImmediate() {
        var issued = tokens.issue(Role.VIEWER, "", "", Optional.empty());
        assertInstanceOf(Authenticated.class, bearer(issued.token()));
        store.revoke(issued.record().id());
        cache.forgetAll();
        assertInstanceOf(Unauthenticated.class, bearer(issued.token()));
    }

    @Test
    void refusalsAndMissingCredentialsAreNeverCached() {
        String wrong = "cara_" + "0".repeat(16) + "_" + "1".repeat(40);
        bearer(wrong);
        bearer(wrong);
        cache.authenticate(Credentials.none());
        assertEquals(3, asked.get());
        assertEquals(0, cache.size());
    }

    @Test
    void differentCredentialsAreDifferentEntries() {
        String a = tokens.issue(Role.VIEWER, "", "a", Optional.empty()).token();
        String b = tokens.issue(Role.ADMIN, "", "b", Optional.empty()).token();
        assertEquals(Role.VIEWER, assertInstanceOf(Authenticated.class, bearer(a)).identity().role());
        assertEquals(Role.ADMIN, assertInstanceOf(Authenticated.class, bearer(b)).identity().role());
        Authenticated cert = assertInstanceOf(Authenticated.class, cache.authenticate(Credentials.of(null, "n1")));
        assertEquals("n1", cert.identity().node());
        assertEquals("n2", assertInstanceOf(Authenticated.class, cache.authenticate(Credentials.of(null, "n2"))).identity().node());
        assertEquals(4, cache.size());
    }

    @Test
    void whenFullExpiredEntriesAreSweptAndOtherwiseNewSuccessesAreNotCached() {
        AuthenticationCache small = AuthenticationCache.over(counting, time, Duration.ofSeconds(1), 2);
        small.authenticate(Credentials.of(null, "n1"));
        small.authenticate(Credentials.of(null, "n2"));
        small.authenticate(Credentials.of(null, "n3"));
        assertEquals(2, small.size(), "full: n3 was answered but not kept");
        time.advance(Duration.ofSeconds(1));
        small.authenticate(Credentials.of(null, "n3"));
        assertEquals(1, small.size(), "the expired n1 and n2 were swept, n3 kept");
    }

    @Test
    void aLongerAgeThanTheRevocationBoundIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuthenticationCache.over(counting, time, Duration.ofSeconds(2), 10));
        assertThrows(IllegalArgumentException.class, () -> AuthenticationCache.over(counting, time, Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> AuthenticationCache.over(counting, time, Duration.ofMillis(500), 0));
    }
}
