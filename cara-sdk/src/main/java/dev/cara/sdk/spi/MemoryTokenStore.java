package dev.cara.sdk.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TokenStore} in the heap, for tests, embedding and (for now) the server. "Durable" here
 * means for the life of the process, as for {@link MemoryStore}. The map is the only state; its
 * atomic operations are the only synchronisation.
 */
public final class MemoryTokenStore implements TokenStore {
    private static final Comparator<TokenRecord> OLDEST_FIRST =
            Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id);

    private final ConcurrentMap<String, TokenRecord> tokens = new ConcurrentHashMap<>();

    private MemoryTokenStore() {
    }

    public static MemoryTokenStore create() {
        return new MemoryTokenStore();
    }

    @Override
    public TokenRecord create(TokenRecord token) {
        Objects.requireNonNull(token, "token");
        if (tokens.putIfAbsent(token.id(), token) != null) {
            throw TokenStore.taken(token.id());
        }
        return token;
    }

    @Override
    public Optional<TokenRecord> get(String id) {
        return Optional.ofNullable(tokens.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public List<TokenRecord> list() {
        return tokens.values().stream().sorted(OLDEST_FIRST).toList();
    }

    @Override
    public TokenRecord revoke(String id) {
        TokenRecord revoked = tokens.computeIfPresent(Objects.requireNonNull(id, "id"), (k, t) -> t.asRevoked());
        if (revoked == null) {
            throw TokenStore.notFound(id);
        }
        return revoked;
    }

    @Override
    public void delete(String id) {
        if (tokens.remove(Objects.requireNonNull(id, "id")) == null) {
            throw TokenStore.notFound(id);
        }
    }
}
