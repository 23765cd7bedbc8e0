package dev.cara.store.mapdb;

import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.TokenStore;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The tokens of a {@link MapDbStore}, in the same file: {@link MapDbStore#tokens()}. It lives and
 * dies with that store; its own {@link #close()} releases nothing.
 *
 * <p><b>Durability</b> is a registration's: every write commits through the store's
 * {@link DiskThread} before it returns and before anyone can read it, so a created or revoked token
 * survives {@code kill -9}, and a full disk fails the write at once, naming the file.
 *
 * <p><b>Threads and ownership.</b> {@code tokens}, the heap copy, is what {@link #get} reads on every
 * authenticated request, without a lock. Only holders of the store's group-commit lock change it
 * (that lock owns the file, so token commits never interleave with node batches or status flushes),
 * and each does so only after its commit: nothing is visible before it is durable. Only one process
 * can open the file, so the heap copy is never stale.
 */
final class MapDbTokenStore implements TokenStore {
    private static final Comparator<TokenRecord> OLDEST_FIRST =
            Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id);

    private final ConcurrentHashMap<String, TokenRecord> tokens;
    private final GroupCommit<?, ?> commits;
    private final DiskThread disk;
    private final Runnable ensureOpen; // the store's check, whose closed flag is set under the group-commit lock

    MapDbTokenStore(MapDbFiles.Opened opened, GroupCommit<?, ?> commits, DiskThread disk, Runnable ensureOpen) {
        this.commits = commits;
        this.disk = disk;
        this.ensureOpen = ensureOpen;
        this.tokens = opened.tokens(); // the heap copy the open read from the file
    }

    @Override
    public TokenRecord create(TokenRecord token) {
        Objects.requireNonNull(token, "token");
        return write(token.id(), true, current -> {
            if (current != null) {
                throw TokenStore.taken(token.id());
            }
            return token;
        });
    }

    @Override
    public Optional<TokenRecord> get(String id) {
        Objects.requireNonNull(id, "id");
        ensureOpen.run();
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public List<TokenRecord> list() {
        ensureOpen.run();
        return tokens.values().stream().sorted(OLDEST_FIRST).toList();
    }

    @Override
    public TokenRecord revoke(String id) {
        return write(id, false, current -> current.revoked() ? current : current.asRevoked());
    }

    @Override
    public void delete(String id) {
        write(id, false, current -> null);
    }

    /**
     * One durable write: {@code change} maps the current token (null only for a create) to what is to
     * be stored (null: removed). A missing token is not found for every write but a create.
     */
    private TokenRecord write(String id, boolean create, UnaryOperator<TokenRecord> change) {
        Objects.requireNonNull(id, "id");
        commits.lock();
        try {
            ensureOpen.run();
            TokenRecord current = tokens.get(id);
            if (current == null && !create) {
                throw TokenStore.notFound(id);
            }
            TokenRecord next = change.apply(current);
            if (next == current) {
                return current; // revoking a revoked token: nothing to write
            }
            disk.commitToken(id, next == null ? null : TokenRecords.write(next));
            if (next == null) {
                tokens.remove(id);
            } else {
                tokens.put(id, next);
            }
            return next;
        } finally {
            commits.unlock();
        }
    }
}
