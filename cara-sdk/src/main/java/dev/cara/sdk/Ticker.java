package dev.cara.sdk;

/**
 * A monotonic source of nanoseconds, for measuring how long ago something happened. It has no
 * relation to wall-clock time. Production code uses {@link #system()}; tests inject a fake and
 * advance it, so that no test ever sleeps.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds since an arbitrary origin; only differences mean anything. */
    long read();

    static Ticker system() {
        return System::nanoTime;
    }
}
