package dev.cara.sdk.spi;

import dev.cara.sdk.CaraException;

/** A write carried a leadership term that is no longer current: the writer is not the leader any more. */
public class FencedException extends CaraException {
    private static final long serialVersionUID = 1L;

    public FencedException(String message) {
        super(message);
    }
}
