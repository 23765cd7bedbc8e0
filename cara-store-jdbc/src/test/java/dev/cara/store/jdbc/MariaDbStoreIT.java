package dev.cara.store.jdbc;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.testkit.NodeStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SDK's storage contract on MariaDB, in a private database. */
class MariaDbStoreIT extends NodeStoreContract {
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.mariadb();
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Override
    protected NodeStore newStore() {
        return ContractStores.fresh(db);
    }

    /** Each sequence opens a store on a real database (a pool, a schema check); the kit's minimum is plenty here. */
    @Override
    protected int modelSequences() {
        return 50;
    }

    @Override
    protected NodeStore reopen(NodeStore closed) {
        return ContractStores.reopen(db);
    }

    @Override
    protected boolean depose(NodeStore store, Fence fence) {
        return ContractStores.depose(db, store);
    }
}
