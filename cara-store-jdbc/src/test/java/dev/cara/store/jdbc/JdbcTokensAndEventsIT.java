package dev.cara.store.jdbc;

import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.TokenStore;
import dev.cara.sdk.testkit.EventStoreContract;
import dev.cara.sdk.testkit.TokenStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SDK's token and event contracts on PostgreSQL and on MariaDB, each in a private schema, with a
 * second store on the same schema where the kit asks for one (a second replica) and a new store for
 * a reopen (a restarted server); plus what only the event tables show: the rows retention dropped
 * are deleted, by count in the write and by age in the compactor's batches.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"postgresql", "mariadb"})
class JdbcTokensAndEventsIT {
    // One private schema per database, for every test run on it.
    private static TestDatabase db;

    @Parameter
    String dialect; // the database, for the report's name; the schema is made from it below

    @BeforeParameterizedClassInvocation
    static void createSchema(String dialect) {
        db = TestDatabase.of(dialect);
    }

    @AfterParameterizedClassInvocation
    static void dropSchema() {
        db.close();
    }

    // Owned by the JUnit thread running the test: every JDBC store it opened, closed afterwards.
    private final List<JdbcStore> stores = new ArrayList<>();

    private JdbcStore open(EventPolicy events) {
        JdbcStore store = ContractStores.reopen(db, events);
        stores.add(store);
        return store;
    }

    @AfterEach
    void closeJdbcStores() {
        stores.forEach(JdbcStore::close);
        stores.clear();
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TokenStore newStore() {
            TokenStore tokens = open(EventPolicy.defaults()).tokens(); // migrates the schema the first time
            db.empty();
            return tokens;
        }

        @Override
        protected TokenStore reopen(TokenStore current) {
            closeJdbcStores();
            return sharing(current);
        }

        @Override
        protected TokenStore sharing(TokenStore current) {
            return open(EventPolicy.defaults()).tokens();
        }
    }

    @Nested
    class Events extends EventStoreContract {
        @Override
        protected EventStore newStore(EventPolicy policy) {
            EventStore events = open(policy).events(); // migrates the schema the first time
            db.empty();
            return events;
        }

        @Override
        protected EventStore sharing(EventStore current) {
            return open(current.policy()).events();
        }

        @Test
        void rowsDroppedByCountGoAtOnceAndByAgeInTheCompactorsBatches() throws SQLException {
            EventStore store = store(5, Duration.ofMinutes(30));
            for (int i = 0; i < 20; i++) {
                store.record(notReady("web-" + i, i));
            }
            assertEquals(5, rows("cara_event"), "retention by count deletes in the write");
            store.record(notReady("late", 60 * 60));
            assertEquals(List.of("late"), store.list(EventFilter.all()).events().stream().map(e -> e.involvedObject().name()).toList());
            assertEquals(5, rows("cara_event"), "retention by age hides at once and deletes later");
            ((JdbcEventStore) store).deleteExpired();
            assertEquals(1, rows("cara_event"));
            assertEquals(1, rows("cara_event_revision WHERE row_count = 1"), "the row count follows the deletes");
            assertEquals(0, store.compact(T0.plus(Duration.ofMinutes(80))));
            assertEquals(1, store.compact(T0.plus(Duration.ofMinutes(91))));
            assertEquals(0, rows("cara_event"));
        }
    }

    private static long rows(String from) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
