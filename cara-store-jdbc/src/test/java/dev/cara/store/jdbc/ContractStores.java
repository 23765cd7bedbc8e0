package dev.cara.store.jdbc;

import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * Ends {@code store}'s leadership term for the kit's fencing test: it gives the lease up and a
     * rival replica on the same schema takes it, at the next term.
     */
    static boolean depose(TestDatabase db, NodeStore store) {
        store.leaderElection().close();
        try (NodeStore rival = reopen(db)) {
            LeaderElection election = rival.leaderElection();
            AtomicBoolean leads = new AtomicBoolean();
            election.start((leading, fence) -> leads.set(leading));
            Poll.until(Duration.ofSeconds(30), "a rival replica to take the lease", leads::get);
            election.close();
        }
        return true;
    }

    static NodeStore reopen(TestDatabase db) {
        return reopen(db, EventPolicy.defaults());
    }

    /** A store on the schema whose events fold and are kept by {@code events}. */
    static JdbcStore reopen(TestDatabase db, EventPolicy events) {
        return JdbcStore.builder(db.url()).poolSize(4).leaseTtl(Duration.ofSeconds(2)).events(events).build();
    }
}
