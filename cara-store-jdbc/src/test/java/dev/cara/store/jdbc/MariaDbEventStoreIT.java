package dev.cara.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SDK's event contract on MariaDB in a private schema. */
class MariaDbEventStoreIT extends JdbcEventContract {
    private static TestDatabase db;

    @BeforeAll
    static void createSchema() {
        db = TestDatabase.mariadb();
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
