package dev.cara.store.jdbc;

/** {@link JdbcStoreBehaviour} on MariaDB. */
class MariaDbBehaviourIT extends JdbcStoreBehaviour {
    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mariadb();
    }
}
