package dev.cara.store.jdbc;

import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.testkit.EventStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
 * The SDK's event contract on one database (a subclass per database), shared with a second store as
 * a second replica opens it, plus what only the tables show: the rows retention dropped are deleted,
 * by count at once and by age by the compactor's batches.
 */
abstract class JdbcEventContract extends EventStoreContract {
    // Owned by the JUnit thread running the test: the JDBC stores under the event stores the kit got.
    private final List<JdbcStore> stores = new ArrayList<>();

    abstract TestDatabase db();

    @Override
    protected EventStore newStore(EventPolicy policy) {
        ContractStores.fresh(db()).close(); // empties the schema
        return open(policy);
    }

    @Override
    protected EventStore sharing(EventStore current) {
        return open(current.policy());
    }

    private EventStore open(EventPolicy policy) {
        JdbcStore store = ContractStores.reopen(db(), policy);
        stores.add(store);
        return store.events();
    }

    @AfterEach
    void closeJdbcStores() {
        stores.forEach(JdbcStore::close);
        stores.clear();
    }

    @Test
    void rowsDroppedByCountGoAtOnceAndByAgeInTheCompactorsBatches() throws SQLException {
        EventPolicy policy = EventPolicy.builder().foldWindow(WINDOW).maxCount(5).maxAge(Duration.ofMinutes(30)).build();
        EventStore store = store(5, Duration.ofMinutes(30));
        assertEquals(policy, store.policy());
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

    private long rows(String from) throws SQLException {
        try (Connection c = DriverManager.getConnection(db().url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
