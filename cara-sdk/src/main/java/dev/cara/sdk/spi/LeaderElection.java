package dev.cara.sdk.spi;

/**
 * Chooses which of several control-plane replicas sharing one store runs the heartbeat monitor and
 * writes state transitions. Only one replica leads at a time, and each leadership has a
 * {@link Fence} that the store checks on every transition write.
 *
 * <p>Implementations must step down (tell the listener {@code false}) before their lease can expire
 * when they cannot renew it, and must notify only on a real change.
 */
public interface LeaderElection extends AutoCloseable {

    /** Starts campaigning. The listener is told of every change of leadership, from any thread. */
    void start(Listener listener);

    /** Whether this replica leads right now. */
    boolean isLeader();

    /** The current term's fence while leading; {@link Fence#NONE} otherwise. */
    Fence fence();

    /**
     * True when this replica is the only writer of its store, so every write passes through it and
     * it need not follow the store's change feed to learn of heartbeats. Only {@link #solo()} is.
     */
    default boolean exclusive() {
        return false;
    }

    /**
     * This replica's name in the election, for logs, health details and metrics: the same name the
     * other replicas see as the leader's. Default: this process, as {@code pid NNN}.
     */
    default String holder() {
        return "pid " + ProcessHandle.current().pid();
    }

    /** Stops campaigning and gives up leadership. Idempotent. */
    @Override
    void close();

    /** Hears about leadership changes. */
    @FunctionalInterface
    interface Listener {
        void leadershipChanged(boolean leading, Fence fence);
    }

    /** The election for a store that only one process uses: it always leads, unfenced. */
    static LeaderElection solo() {
        return new LeaderElection() {
            @Override
            public void start(Listener listener) {
                listener.leadershipChanged(true, Fence.NONE);
            }

            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public Fence fence() {
                return Fence.NONE;
            }

            @Override
            public boolean exclusive() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
