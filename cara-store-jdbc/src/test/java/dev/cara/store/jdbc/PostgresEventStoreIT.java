package dev.cara.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SDK's event contract on PostgreSQL in a private schema. */
class PostgresEventStoreIT extends JdbcEventContract {
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
