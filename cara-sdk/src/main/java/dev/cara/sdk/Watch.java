package dev.cara.sdk;

/** An open watch. Closing it stops the events; it is safe to close more than once. */
public interface Watch extends AutoCloseable {
    /** Whether events may still arrive. */
    boolean isOpen();

    @Override
    void close();
}
