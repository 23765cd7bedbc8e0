package dev.cara.store.jdbc;

import dev.cara.sdk.spi.TokenStore;
import dev.cara.sdk.testkit.TokenStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's token contract on one database (a subclass per database): reopened as a restarted
 * server opens it, and shared with a second store as a second replica opens it.
 */
abstract class JdbcTokenContract extends TokenStoreContract {
    // Owned by the JUnit thread running the test: the JDBC stores under the token stores the kit got.
    private final List<JdbcStore> stores = new ArrayList<>();

    abstract TestDatabase db();

    @Override
    protected TokenStore newStore() {
        JdbcStore store = (JdbcStore) ContractStores.fresh(db());
        stores.add(store);
        return store.tokens();
    }

    @Override
    protected TokenStore reopen(TokenStore current) {
        stores.forEach(JdbcStore::close);
        stores.clear();
        return sharing(current);
    }

    @Override
    protected TokenStore sharing(TokenStore current) {
        JdbcStore store = (JdbcStore) ContractStores.reopen(db());
        stores.add(store);
        return store.tokens();
    }

    @AfterEach
    void closeJdbcStores() {
        stores.forEach(JdbcStore::close);
        stores.clear();
    }
}
