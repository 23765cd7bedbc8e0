package dev.cara.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SDK's token contract on PostgreSQL in a private schema. */
class PostgresTokenStoreIT extends JdbcTokenContract {
    private static TestDatabase db;

    @BeforeAll
    static void createSchema() {
        db = TestDatabase.postgres();
    }

    @AfterAll
    static void dropSchema() {
        db.close();
    }

    @Override
    TestDatabase db() {
        return db;
    }
}
