package com.example.jsondir;

import dev.cara.sdk.UnavailableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One directory of JSON files, written so that a crash leaves each file whole: what every part of
 * the example store (nodes, projects, tokens, events) keeps its data in. Not thread-safe: each owner
 * calls it under its own lock.
 */
final class JsonFiles {
    private final Path dir;

    /** The directory {@code dir}, created if missing. */
    JsonFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failed("create", e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The text of every {@code *.json} file, after deleting what a crash left half-written. */
    List<String> readAll() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    Files.delete(file); // a write that a crash interrupted before its rename
                } else if (name.endsWith(".json")) {
                    out.add(Files.readString(file));
                }
            }
        } catch (IOException e) {
            throw failed("read", e);
        }
        return out;
    }

    /** The text of {@code name}, or null if there is no such file. */
    String read(String name) {
        try {
            Path file = dir.resolve(name);
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw failed("read", e);
        }
    }

    /** Temporary file, fsync, rename over {@code name}, fsync the directory: all or nothing. */
    void write(String name, String content) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(".tmp-" + name);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failed("write to", e);
        }
        syncDirectory();
    }

    /** Deletes {@code name}, durably. */
    void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw failed("write to", e);
        }
        syncDirectory();
    }

    boolean isWritable() {
        return Files.isWritable(dir);
    }

    /** Makes a rename or delete durable. Linux allows fsync on a directory; some systems do not. */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UncheckedIOException notSupported) {
            // best effort where the platform cannot sync a directory
        }
    }

    private UnavailableException failed(String what, IOException e) {
        return new UnavailableException("cannot " + what + " the store directory " + dir + ": " + e.getMessage(), e);
    }
}
