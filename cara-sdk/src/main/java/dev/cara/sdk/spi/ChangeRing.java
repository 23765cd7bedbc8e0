package dev.cara.sdk.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The change history of an in-memory store: the last {@code history} changes, by revision (revision
 * {@code r} lives at {@code r % history}), and the latest revision. It answers a feed read as the SPI
 * asks, including {@link HistoryGoneException} for a revision no longer kept or never reached.
 * MemoryProjectStore keeps its feed in one; MemoryStore's ring is the same and could move onto it.
 *
 * <p>Not thread-safe: the store's lock guards it.
 */
final class ChangeRing<C> {
    private final Object[] ring;
    private long revision;

    ChangeRing(int history) {
        if (history < 1) {
            throw new IllegalArgumentException("history must be at least 1, was " + history);
        }
        this.ring = new Object[history];
    }

    long revision() {
        return revision;
    }

    /** Records {@code change} as revision {@code revision() + 1} and returns that revision. */
    long append(LongFunction<C> change) {
        long next = revision + 1;
        ring[(int) (next % ring.length)] = change.apply(next);
        revision = next;
        return next;
    }

    /** At most {@code limit} changes after {@code afterRevision}, oldest first. */
    @SuppressWarnings("unchecked")
    List<C> since(long afterRevision, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        long oldestKept = Math.max(1, revision - ring.length + 1);
        // A revision beyond this store's comes from another store (one before a restart): "no
        // changes" would leave that reader stale forever.
        if (afterRevision + 1 < oldestKept || afterRevision > revision) {
            throw new HistoryGoneException(afterRevision, oldestKept);
        }
        List<C> out = new ArrayList<>();
        for (long r = afterRevision + 1; r <= revision && out.size() < limit; r++) {
            out.add((C) ring[(int) (r % ring.length)]);
        }
        return out;
    }
}
