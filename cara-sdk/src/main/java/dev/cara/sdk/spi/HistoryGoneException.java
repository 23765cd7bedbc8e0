package dev.cara.sdk.spi;

import dev.cara.sdk.CaraException;

/**
 * The change feed no longer holds the changes asked for (they were compacted away). The reader
 * should list again and follow the feed from the snapshot's revision.
 */
public class HistoryGoneException extends CaraException {
    private static final long serialVersionUID = 1L;
    private final long oldestAvailable;

    public HistoryGoneException(long requested, long oldestAvailable) {
        super("changes after revision " + requested + " are no longer kept (oldest kept: "
                + oldestAvailable + "); list again and follow from there");
        this.oldestAvailable = oldestAvailable;
    }

    public long oldestAvailable() {
        return oldestAvailable;
    }
}
