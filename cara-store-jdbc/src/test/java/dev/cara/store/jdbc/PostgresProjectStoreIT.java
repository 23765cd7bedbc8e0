package dev.cara.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SDK's project contract, with fencing and compaction, on Postgres in a private schema. */
class PostgresProjectStoreIT extends JdbcProjectContract {
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
