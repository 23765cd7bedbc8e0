package dev.cara.sdk.spi;

/**
 * A leadership term that guards a write: a store refuses a fenced write whose term is no longer the
 * current leader's, so a deposed leader cannot write a stale state transition.
 *
 * @param term the leader's term; {@code 0} means unfenced
 */
public record Fence(long term) {
    /** No fence: the write happens whoever leads. */
    public static final Fence NONE = new Fence(0);

    public boolean fenced() {
        return term != 0;
    }
}
