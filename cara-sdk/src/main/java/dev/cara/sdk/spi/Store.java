package dev.cara.sdk.spi;

/**
 * What every store of the SPI has, whatever it keeps ({@link NodeStore}, {@link ProjectStore},
 * {@link EventStore}): a name for logs and an idempotent close. One declaration, so that the three
 * cannot drift apart in what {@code describe} and {@code close} promise.
 */
public interface Store extends AutoCloseable {

    /** A short description for logs and start-up lines, for example {@code mapdb:./cara-data/cara.db} or {@code memory:}. */
    String describe();

    /** Flushes what is pending and releases what this store holds. Idempotent. */
    @Override
    void close();
}
