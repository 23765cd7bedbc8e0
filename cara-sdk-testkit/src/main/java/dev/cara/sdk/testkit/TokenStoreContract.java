package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Role;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link TokenStore} proves by extending this class: what it keeps, its errors,
 * and (through {@link #reopen}) that a write that returned is still there after the store is opened
 * again. A durable store overrides {@link #reopen} to close and reopen its files or database.
 */
public abstract class TokenStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String HASH = "0".repeat(64);

    protected TokenStore store;

    /** A new, empty store. */
    protected abstract TokenStore newStore();

    /**
     * The same store as a new process would open it. The default returns {@code current} (a store in
     * the heap is durable for the life of the process only).
     */
    protected TokenStore reopen(TokenStore current) {
        return current;
    }

    /**
     * Another store on the same backend, as a second server replica opens it: a shared store (a
     * database) returns a new instance, and the kit checks that tokens and revocations made through
     * one are seen through the other at once. The default returns {@code current} (a store only one
     * process may open). The subclass closes what it returns.
     */
    protected TokenStore sharing(TokenStore current) {
        return current;
    }

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    protected static TokenRecord token(String id, Role role, String node, Instant createdAt) {
        return new TokenRecord(id, "for " + id, role, node, createdAt, Optional.empty(), false, HASH);
    }

    @Test
    void aCreatedTokenIsReadBackAsStored() {
        TokenRecord t = new TokenRecord("a1", "ci", Role.VIEWER, "", T0, Optional.of(T0.plusSeconds(60)), false, HASH);
        assertEquals(t, store.create(t));
        assertEquals(Optional.of(t), store.get("a1"));
        assertEquals(Optional.empty(), store.get("zz"));
    }

    @Test
    void aNodeCredentialKeepsItsNode() {
        store.create(token("n1", Role.NODE, "w1", T0));
        assertEquals("w1", store.get("n1").orElseThrow().node());
    }

    @Test
    void aTakenIdIsRefusedAndTheFirstTokenKept() {
        TokenRecord first = token("a1", Role.ADMIN, "", T0);
        store.create(first);
        AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
                () -> store.create(token("a1", Role.VIEWER, "", T0.plusSeconds(1))));
        assertTrue(e.getMessage().contains("a1"), e.getMessage());
        assertEquals(Optional.of(first), store.get("a1"));
    }

    @Test
    void theListIsOldestFirstWithTiesById() {
        store.create(token("c", Role.ADMIN, "", T0.plusSeconds(2)));
        store.create(token("b", Role.ADMIN, "", T0));
        store.create(token("a", Role.ADMIN, "", T0));
        assertEquals(List.of("a", "b", "c"), store.list().stream().map(TokenRecord::id).toList());
    }

    @Test
    void aRevokedTokenStaysListedAndRevokingAgainChangesNothing() {
        store.create(token("a1", Role.ADMIN, "", T0));
        TokenRecord revoked = store.revoke("a1");
        assertTrue(revoked.revoked());
        assertEquals(Optional.of(revoked), store.get("a1"));
        assertEquals(revoked, store.revoke("a1"));
        assertEquals(List.of(revoked), store.list());
    }

    @Test
    void revokingOrDeletingAnUnknownIdIsNotFound() {
        NotFoundException revoke = assertThrows(NotFoundException.class, () -> store.revoke("zz"));
        assertEquals("zz", revoke.name());
        assertTrue(revoke.getMessage().contains("token \"zz\""), revoke.getMessage());
        assertThrows(NotFoundException.class, () -> store.delete("zz"));
    }

    @Test
    void aDeletedTokenIsGoneAndItsIdFree() {
        store.create(token("a1", Role.ADMIN, "", T0));
        store.delete("a1");
        assertEquals(Optional.empty(), store.get("a1"));
        assertEquals(List.of(), store.list());
        store.create(token("a1", Role.VIEWER, "", T0));
        assertEquals(Role.VIEWER, store.get("a1").orElseThrow().role());
    }

    @Test
    void writesThatReturnedSurviveAReopen() {
        store.create(token("a1", Role.ADMIN, "", T0));
        store.create(token("b2", Role.NODE, "w1", T0));
        store.create(token("c3", Role.VIEWER, "", T0));
        store.revoke("b2");
        store.delete("c3");
        store = reopen(store);
        assertFalse(store.get("a1").orElseThrow().revoked());
        assertTrue(store.get("b2").orElseThrow().revoked(), "a revocation must survive: a forgotten one lets a stolen token back in");
        assertEquals(Optional.empty(), store.get("c3"));
    }

    @Test
    void aTokenAndItsRevocationAreSeenAtOnceThroughAnotherStoreOnTheSameBackend() {
        TokenStore other = sharing(store);
        store.create(token("a1", Role.ADMIN, "", T0));
        assertEquals(store.get("a1"), other.get("a1"), "a token made on one replica must authenticate on another");
        other.revoke("a1");
        assertTrue(store.get("a1").orElseThrow().revoked(), "a revocation on one replica must be seen on the others");
        store.delete("a1");
        assertEquals(Optional.empty(), other.get("a1"));
        assertEquals(List.of(), other.list());
    }

    @Test
    void concurrentCreatesOfOneIdLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Role role = i % 2 == 0 ? Role.ADMIN : Role.VIEWER;
                attempts.add(pool.submit(() -> {
                    try {
                        store.create(token("same", role, "", T0));
                        return true;
                    } catch (AlreadyExistsException e) {
                        return false;
                    }
                }));
            }
            int won = 0;
            for (Future<Boolean> f : attempts) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
    }
}
