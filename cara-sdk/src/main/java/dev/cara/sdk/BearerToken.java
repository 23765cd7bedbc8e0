package dev.cara.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a client gets the bearer token it sends: read again for every request, so that a token file
 * that is rotated (or written by enrollment) is picked up without a restart. No implementation ever
 * shows the token in {@link #toString}, an exception or a log.
 */
@FunctionalInterface
public interface BearerToken {
    /** The token to send now, or empty to send none. */
    Optional<String> read();

    /** Sends no token. */
    static BearerToken none() {
        return Optional::empty;
    }

    /** A fixed token. */
    static BearerToken of(String token) {
        String t = requireSendable(Objects.requireNonNull(token, "token").trim(), "the bearer token");
        return new BearerToken() {
            @Override
            public Optional<String> read() {
                return Optional.of(t);
            }

            @Override
            public String toString() {
                return "BearerToken[***]";
            }
        };
    }

    /**
     * The token in a file (its first line, trimmed), read for each request. An empty or missing file
     * sends no token, so that an agent can start before its credential is written.
     *
     * @throws InvalidException on a read, when the file cannot be read or holds a token that is not sendable
     */
    static BearerToken file(Path file) {
        Objects.requireNonNull(file, "file");
        return new BearerToken() {
            @Override
            public Optional<String> read() {
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8).strip();
                } catch (NoSuchFileException e) {
                    return Optional.empty();
                } catch (IOException e) {
                    throw new InvalidException("the token file " + file + " cannot be read (" + e.getClass().getSimpleName()
                            + "): check its path and permissions");
                }
                int eol = text.indexOf('\n');
                String token = (eol < 0 ? text : text.substring(0, eol)).strip();
                return token.isEmpty() ? Optional.empty() : Optional.of(requireSendable(token, "the token in " + file));
            }

            @Override
            public String toString() {
                return "BearerToken[file " + file + "]";
            }
        };
    }

    /** A token must be visible ASCII to go into a header; the message never shows it. */
    private static String requireSendable(String token, String what) {
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
            throw new InvalidException(what + " must be printable ASCII without spaces (a cara token looks like cara_<id>_<secret>)");
        }
        return token;
    }
}
