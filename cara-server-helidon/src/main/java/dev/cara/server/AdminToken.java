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
 * The first admin token, so that a fresh server can be administered at all. The store keeps the
 * tokens; this decides at start-up whether one must be made:
 * <ul>
 *   <li>the token file exists ({@code --admin-token-file}, or {@code admin-token} in the data
 *       directory): its token is put into the store unless the store has that id already (revoked
 *       or not: a revocation holds across restarts); nothing is printed;</li>
 *   <li>otherwise, a store that has an admin token already (a later start, or another replica's
 *       first) gets nothing new, unless {@code --admin-token-file} names the missing file: then the
 *       operator asked for one there;</li>
 *   <li>otherwise (a fresh store, or an old open-mode store started with tokens for the first time)
 *       one is created, written to the file (mode 0600, created so from the start, never widened) and
 *       printed once by {@link Main}.</li>
 * </ul>
 */
final class AdminToken {
    static final String FILE_NAME = "admin-token";
    private static final String DESCRIPTION = "admin (" + FILE_NAME + ")";

    private AdminToken() {
    }

    /**
     * What start-up did with the admin token file: read it, created it (its token to be printed once),
     * or left it alone because the store has an admin token already (then {@code token} is empty).
     */
    record Outcome(Path file, boolean created, String token) {
        @Override
        public String toString() {
            return "Outcome[file=" + file + ", created=" + created + "]";
        }
    }

    /**
     * @param file  where the token is read from or written to
     * @param given whether the operator named {@code file} ({@code --admin-token-file})
     */
    static Outcome ensure(Tokens tokens, Path file, boolean given, Instant now) {
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
                tokens.store().create(new TokenRecord(parsed.id(), DESCRIPTION, Role.ADMIN, "", now,
                        Optional.empty(), false, Tokens.hash(parsed.secret())));
            }
            return new Outcome(file, false, text);
        }
        if (!given && tokens.store().list().stream().anyMatch(t -> t.role() == Role.ADMIN)) {
            return new Outcome(file, false, "");
        }
        IssuedToken issued = tokens.issue(Role.ADMIN, "", DESCRIPTION, Optional.empty());
        try {
            write(file, issued.token());
        } catch (RuntimeException e) {
            tokens.store().delete(issued.record().id()); // never shown to anyone: the next start makes another
            throw e;
        }
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
