package dev.cara.sdk.spi;

import dev.cara.sdk.CaraException;

/**
 * The change feed no longer holds the changes asked for (they were compacted away, or the revision
 * asked for is ahead of the store's). The reader should list again and follow the feed from the
 * snapshot's revision.
 */
public class HistoryGoneException extends CaraException {
    private static final long serialVersionUID = 1L;
    private final long oldestAvailable;

    public HistoryGoneException(long requested, long oldestAvailable) {
        super("changes after revision " + requested + " are no longer kept (oldest kept: "
                + oldestAvailable + "); list again and follow from there");
        this.oldestAvailable = oldestAvailable;
    }

    private HistoryGoneException(String message, long oldestAvailable) {
        super(message);
        this.oldestAvailable = oldestAvailable;
    }

    /** A revision the store never reached: the reader followed another store, or this one before a restart. */
    static HistoryGoneException ahead(long requested, long latest, long oldestAvailable) {
        return new HistoryGoneException("revision " + requested + " is ahead of this store's latest revision " + latest
                + ", so it was read from another store (or from this one before a restart); list again and follow from there",
                oldestAvailable);
    }

    public long oldestAvailable() {
        return oldestAvailable;
    }
}
