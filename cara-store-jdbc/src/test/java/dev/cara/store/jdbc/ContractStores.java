package dev.cara.store.jdbc;

import dev.cara.sdk.spi.NodeStore;

import java.time.Duration;

/**
 * Stores for the contract kit. A fresh store is the test class's own schema emptied (cheaper than a
 * schema per store, and the kit asks for many); reopening opens the same schema again, which is what
 * a restarted server does.
 */
final class ContractStores {
    private ContractStores() {
    }

    static NodeStore fresh(TestDatabase db) {
        NodeStore store = reopen(db); // migrates the schema the first time
        db.empty();
        return store;
    }

    static NodeStore reopen(TestDatabase db) {
        return JdbcStore.builder(db.url()).poolSize(4).leaseTtl(Duration.ofSeconds(2)).build();
    }
}
