package dev.cara.server;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.IssuedToken;
import dev.cara.sdk.Role;
import dev.cara.sdk.Tokens;
import dev.cara.sdk.spi.TokenRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The first admin token, so that a fresh server can be administered at all: read from its file when
 * the file exists, otherwise created, written to the file (mode 0600, created so from the start, never
 * widened) and printed once.
 *
 * <p>INTERIM: the server keeps its tokens in a {@link dev.cara.sdk.spi.MemoryTokenStore} for now, so
 * every start seeds it from this file and tokens created through the API last until the server stops.
 * When the stores keep tokens, "first start" becomes "the store has no admin token yet".
 */
final class AdminToken {
    static final String FILE_NAME = "admin-token";

    private AdminToken() {
    }

    /** What start-up did: the token was read from its file, or created (and is to be printed once). */
    record Outcome(Path file, boolean created, String token) {
        @Override
        public String toString() {
            return "Outcome[file=" + file + ", created=" + created + "]";
        }
    }

    static Outcome ensure(Tokens tokens, Path file, Instant now) {
        if (Files.exists(file)) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                throw new InvalidException("the admin token file " + file + " cannot be read: " + e.getMessage());
            }
            Tokens.Parsed parsed = Tokens.parse(text).orElseThrow(() -> new InvalidException("the admin token file " + file
                    + " does not hold a cara token (cara_<16 hex digits>_<40 hex digits>): remove it to have a new one made"));
            if (tokens.store().get(parsed.id()).isEmpty()) {
                tokens.store().create(new TokenRecord(parsed.id(), "admin (" + FILE_NAME + ")", Role.ADMIN, "", now,
                        Optional.empty(), false, Tokens.hash(parsed.secret())));
            }
            return new Outcome(file, false, text);
        }
        IssuedToken issued = tokens.issue(Role.ADMIN, "", "admin (" + FILE_NAME + ")", Optional.empty());
        write(file, issued.token());
        return new Outcome(file, true, issued.token());
    }

    private static void write(Path file, String token) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidException("the admin token file " + file + " appeared while the server was starting; start again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token file " + file, e);
        }
    }
}
