package dev.cara.store.jdbc;

/** {@link JdbcStoreBehaviour} on PostgreSQL. */
class PostgresBehaviourIT extends JdbcStoreBehaviour {
    @Override
    TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
