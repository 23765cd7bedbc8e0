package dev.cara.store.mapdb;

import dev.cara.sdk.CaraException;

import java.nio.file.Path;

/**
 * The MapDB store could not open its file. The message names the file, what is wrong and what to
 * do; the subclasses let a caller tell the cases apart.
 */
public class MapDbStoreException extends CaraException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    MapDbStoreException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The store file this is about. */
    public Path file() {
        return file;
    }

    /** Another process (or another store in this one) has the file open. */
    public static final class InUse extends MapDbStoreException {
        private static final long serialVersionUID = 1L;

        InUse(Path file, Path lockFile, Throwable cause) {
            super(file, "the store file " + file + " is in use by another cara process (it holds the lock "
                    + lockFile + "); stop that process first, or give this one a different store path", cause);
        }
    }

    /** The file is not a readable cara store: damaged, truncated, or something else entirely. */
    public static final class Damaged extends MapDbStoreException {
        private static final long serialVersionUID = 1L;

        Damaged(Path file, String problem, Throwable cause) {
            super(file, "the store file " + file + " cannot be read: " + problem + ". cara left it untouched."
                    + " Restore it from a backup, or move it aside to start with an empty store"
                    + " (every registered node will then have to register again)", cause);
        }
    }

    /** The file was written by a newer cara whose format this release does not know. */
    public static final class NewerFormat extends MapDbStoreException {
        private static final long serialVersionUID = 1L;

        NewerFormat(Path file, int found, int supported) {
            super(file, "the store file " + file + " has format version " + found + ", but this cara reads format "
                    + supported + " at most; run the cara release that wrote it (or a newer one)", null);
        }
    }
}
