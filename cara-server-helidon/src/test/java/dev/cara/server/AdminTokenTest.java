package dev.cara.server;

import dev.cara.sdk.Role;
import dev.cara.sdk.Tokens;
import dev.cara.sdk.spi.MemoryTokenStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When start-up makes the first admin token, and when it leaves the store and the file alone. */
class AdminTokenTest {
    private final FakeTime time = new FakeTime();
    private final MemoryTokenStore store = MemoryTokenStore.create();
    private final Tokens tokens = Tokens.over(store, time);

    @TempDir
    Path dir;

    @Test
    void aFreshStoreGetsOneAdminTokenWrittenOwnerOnlyAndLaterStartsNeitherMakeNorPrintAnother() throws Exception {
        Path file = dir.resolve("data").resolve(AdminToken.FILE_NAME);
        AdminToken.Outcome first = AdminToken.ensure(tokens, file, false, time.instant());
        assertTrue(first.created());
        assertEquals(first.token(), Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(first.toString().contains(first.token()), "the outcome's toString never shows the token");

        AdminToken.Outcome again = AdminToken.ensure(tokens, file, false, time.instant());
        assertFalse(again.created());
        assertEquals(1, store.list().size());

        Files.delete(file); // the operator moved the file away: the store still has its admin token
        AdminToken.Outcome without = AdminToken.ensure(tokens, file, false, time.instant());
        assertFalse(without.created());
        assertFalse(Files.exists(file));
        assertEquals(1, store.list().size());
    }

    @Test
    void aNamedMissingFileGetsANewAdminTokenEvenWhenTheStoreHasOne() {
        AdminToken.ensure(tokens, dir.resolve("first"), false, time.instant());
        AdminToken.Outcome named = AdminToken.ensure(tokens, dir.resolve("recovery"), true, time.instant());
        assertTrue(named.created(), "--admin-token-file FILE asks for a token in FILE");
        assertEquals(2, store.list().stream().filter(t -> t.role() == Role.ADMIN).count());
    }

    @Test
    void aTokenFileSeedsAnEmptyStoreButARevocationHoldsAcrossStarts() throws Exception {
        Path file = dir.resolve("seed");
        String token = AdminToken.ensure(Tokens.over(MemoryTokenStore.create(), time), file, true, time.instant()).token();
        AdminToken.Outcome seeded = AdminToken.ensure(tokens, file, true, time.instant());
        assertFalse(seeded.created());
        String id = Tokens.parse(token).orElseThrow().id();
        assertTrue(store.get(id).isPresent(), "the file's token is in the store now");
        store.revoke(id);
        AdminToken.ensure(tokens, file, true, time.instant());
        assertTrue(store.get(id).orElseThrow().revoked(), "a revoked admin token is not brought back by its file");
    }
}
