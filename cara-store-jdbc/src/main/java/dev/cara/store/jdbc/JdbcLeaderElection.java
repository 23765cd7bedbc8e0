package dev.cara.store.jdbc;

import dev.cara.sdk.Ticker;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.LeaderElection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leader election through one lease row ({@code cara_lease}) in the store's own database.
 *
 * <p><b>The lease.</b> The row holds the holder's id, a term, and an expiry. Every time in it comes
 * from the database clock ({@code now() + ttl}), so replicas' clocks never have to agree. A replica
 * takes the lease when it has expired, bumping the term; the term is the {@link Fence} the store
 * checks, in the same transaction, on every fenced write. The leader renews every {@code ttl / 3}.
 *
 * <p><b>Stepping down in time</b> (Curator's {@code LeaderLatch} discipline). The leader keeps a local
 * deadline on its own monotonic ticker: the time it <em>sent</em> its last successful renewal plus
 * {@code ttl - margin}. The database's expiry is at least {@code ttl} after that send, so the local
 * deadline always passes first. A watchdog on its own thread steps down at the deadline even while
 * a renewal hangs, and {@link #isLeader()} compares with the deadline itself, so a process that was
 * paused (SIGSTOP) stops leading the moment it runs again, before any other thread can act.
 *
 * <p><b>Threads and ownership.</b> {@code lease} is the only leadership state: an immutable
 * {@link Lease} swapped with compare-and-set (acquired by the campaign thread, replaced on renewal,
 * cleared by whichever thread steps down first). Listener calls go through a single notifier thread
 * in the order the changes happened, and only for real changes ({@code lastNotified} is owned by
 * that thread), so a slow listener never delays a step-down.
 */
public final class JdbcLeaderElection implements LeaderElection {
    private static final Logger LOG = Logger.getLogger(JdbcLeaderElection.class.getName());

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Duration ttl;
    private final long ttlNanos;
    private final long marginNanos;
    private final Ticker ticker;
    private final String holder;
    private final AtomicReference<Lease> lease = new AtomicReference<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private volatile Listener listener;
    private ScheduledExecutorService campaign;
    private ScheduledExecutorService watchdog;
    private ExecutorService notifier;
    private Lease lastNotified; // owned by the notifier thread

    private enum State { LATENT, STARTED, CLOSED }

    /** A held term and the local ticker time by which this replica must have stopped leading. */
    private record Lease(long term, long deadlineNanos) {
    }

    JdbcLeaderElection(DataSource dataSource, Dialect dialect, Duration ttl, Ticker ticker, String holder) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.ttlNanos = ttl.toNanos();
        // Room for the renewal's own round trip, scheduling delays and clock-rate drift.
        this.marginNanos = Math.max(ttlNanos / 4, Duration.ofMillis(100).toNanos());
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.holder = Objects.requireNonNull(holder, "holder");
    }

    @Override
    public void start(Listener newListener) {
        Objects.requireNonNull(newListener, "listener");
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the leader election was already started or closed");
        }
        listener = newListener;
        campaign = Executors.newSingleThreadScheduledExecutor(daemon("cara-lease-campaign"));
        watchdog = Executors.newSingleThreadScheduledExecutor(daemon("cara-lease-watchdog"));
        notifier = Executors.newSingleThreadExecutor(daemon("cara-lease-notifier"));
        campaign.execute(this::campaignOnce);
    }

    @Override
    public boolean isLeader() {
        return current() != null;
    }

    @Override
    public Fence fence() {
        Lease l = current();
        return l == null ? Fence.NONE : new Fence(l.term());
    }

    /** Whether this replica holds {@code term} and its local deadline has not passed. */
    boolean holds(long term) {
        Lease l = current();
        return l != null && l.term() == term;
    }

    /** The lease TTL. */
    public Duration ttl() {
        return ttl;
    }

    /** This replica's id in the lease row. */
    public String holder() {
        return holder;
    }

    /** The store found in the database that {@code term} is no longer current: stop leading at once. */
    void fenceRejected(long term) {
        Lease l = lease.get();
        if (l != null && l.term() == term) {
            stepDown(l, "the database says term " + term + " is no longer current");
        }
    }

    /**
     * The lease's term if it is unexpired, else {@code -1}; locks the lease row against a takeover
     * until the caller's transaction ends, so a write checked with it commits under that term.
     */
    long liveTerm(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.leaseCheckSql())) {
            rs.next();
            return rs.getBoolean(2) ? rs.getLong(1) : -1;
        }
    }

    /** Locks the lease row for the caller's transaction and refuses a term that is not the live one. */
    void checkFence(Connection c, long term) throws SQLException {
        long current;
        boolean live;
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.leaseCheckSql())) {
            rs.next();
            current = rs.getLong(1);
            live = rs.getBoolean(2);
        }
        if (current != term || !live) {
            fenceRejected(term);
            throw new FencedException("leader term " + term + " is no longer current (the lease is at term " + current
                    + (live ? "" : ", expired") + "); this replica must not write state transitions");
        }
    }

    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous != State.STARTED) {
            return;
        }
        campaign.shutdownNow();
        watchdog.shutdownNow();
        Lease l = lease.get();
        if (l != null) {
            stepDown(l, "closing");
            release(l);
        }
        notifier.shutdown();
        try {
            campaign.awaitTermination(5, TimeUnit.SECONDS);
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- campaign thread

    private void campaignOnce() {
        if (state.get() != State.STARTED) {
            return;
        }
        long nextDelayNanos;
        Lease held = lease.get();
        try {
            nextDelayNanos = held != null ? renew(held) : tryAcquire();
        } catch (SQLException | RuntimeException e) {
            // Keep leading until the local deadline (the watchdog enforces it), and try again soon.
            LOG.log(Level.FINE, "lease " + (held != null ? "renewal" : "acquisition") + " failed: " + e.getMessage(), e);
            nextDelayNanos = retryNanos();
        }
        if (state.get() == State.STARTED) {
            try {
                campaign.schedule(this::campaignOnce, nextDelayNanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closing
            }
        }
    }

    private long tryAcquire() throws SQLException {
        long sentAt = ticker.read();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = c.prepareStatement("UPDATE cara_lease SET holder = ?, term = term + 1, expires_at = "
                        + dialect.nowPlusMillis() + " WHERE id = 1 AND (expires_at <= " + dialect.now() + " OR holder = ?)")) {
                    ps.setQueryTimeout(queryTimeoutSeconds());
                    ps.setString(1, holder);
                    ps.setLong(2, ttl.toMillis());
                    ps.setString(3, holder);
                    updated = ps.executeUpdate();
                }
                if (updated == 1) {
                    long term;
                    try (PreparedStatement ps = c.prepareStatement("SELECT term FROM cara_lease WHERE id = 1");
                         ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        term = rs.getLong(1);
                    }
                    c.commit();
                    Lease won = new Lease(term, sentAt + ttlNanos - marginNanos);
                    if (lease.compareAndSet(null, won)) {
                        LOG.info("this replica (" + holder + ") now leads, term " + term);
                        armWatchdog(won);
                        publish();
                    }
                    return renewNanos();
                }
                long remainingMillis;
                try (PreparedStatement ps = c.prepareStatement(dialect.remainingMillisSql());
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    remainingMillis = rs.getLong(1);
                }
                c.commit();
                // Try again just after the current lease runs out, so a dead leader is replaced within its TTL.
                return Math.min(retryNanos(), TimeUnit.MILLISECONDS.toNanos(remainingMillis) + TimeUnit.MILLISECONDS.toNanos(5));
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private long renew(Lease held) throws SQLException {
        long sentAt = ticker.read();
        int updated;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE cara_lease SET expires_at = " + dialect.nowPlusMillis()
                     + " WHERE id = 1 AND holder = ? AND term = ? AND expires_at > " + dialect.now())) {
            c.setAutoCommit(true);
            ps.setQueryTimeout(queryTimeoutSeconds());
            ps.setLong(1, ttl.toMillis());
            ps.setString(2, holder);
            ps.setLong(3, held.term());
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            stepDown(held, "the lease was taken over or had expired");
            return 0;
        }
        Lease renewed = new Lease(held.term(), sentAt + ttlNanos - marginNanos);
        if (lease.compareAndSet(held, renewed)) {
            armWatchdog(renewed);
        }
        return renewNanos();
    }

    private void release(Lease l) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE cara_lease SET expires_at = " + dialect.now()
                     + " WHERE id = 1 AND holder = ? AND term = ?")) {
            c.setAutoCommit(true);
            ps.setQueryTimeout(queryTimeoutSeconds());
            ps.setString(1, holder);
            ps.setLong(2, l.term());
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "could not release the lease; it will expire by itself", e);
        }
    }

    // ---------------------------------------------------------------- stepping down

    /** The held lease, or null; a lease past its local deadline is dropped here, on whichever thread asks. */
    private Lease current() {
        Lease l = lease.get();
        if (l != null && ticker.read() - l.deadlineNanos() >= 0) {
            stepDown(l, "the lease could not be renewed in time");
            return null;
        }
        return l;
    }

    private void armWatchdog(Lease l) {
        long delay = Math.max(0, l.deadlineNanos() - ticker.read());
        try {
            watchdog.schedule(() -> current(), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing
        }
    }

    private void stepDown(Lease l, String why) {
        if (lease.compareAndSet(l, null)) {
            LOG.log("closing".equals(why) ? Level.INFO : Level.WARNING,
                    "this replica (" + holder + ") stops leading term " + l.term() + ": " + why);
            publish();
        }
    }

    /** Tells the listener the current state, on the notifier thread, unless it is what it was last told. */
    private void publish() {
        try {
            notifier.execute(() -> {
                Lease now = lease.get();
                boolean wasLeading = lastNotified != null;
                if (now == null ? !wasLeading : (wasLeading && lastNotified.term() == now.term())) {
                    return; // no real change since the last notification
                }
                lastNotified = now;
                try {
                    listener.leadershipChanged(now != null, now == null ? Fence.NONE : new Fence(now.term()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a leadership listener failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed: nobody listens any more
        }
    }

    // ---------------------------------------------------------------- timing

    private long renewNanos() {
        return ttlNanos / 3;
    }

    private long retryNanos() {
        return Math.max(ttlNanos / 10, TimeUnit.MILLISECONDS.toNanos(20));
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, ttl.toSeconds() / 3);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
