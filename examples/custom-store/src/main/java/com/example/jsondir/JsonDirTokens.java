package com.example.jsondir;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.TokenStore;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tokens of a {@link JsonDirStore}: {@code DIR/tokens/ID.json} each, the {@link TokenRecord} as
 * JSON-B writes a record ({@link CaraJson#jsonb()}). A token's secret is never stored, only its hash.
 *
 * <p>Every write is on disk before it returns: a revocation that a crash forgot would let a stolen
 * token back in. Reads come from the heap copy, so authenticating a request never touches the disk.
 * {@code lock} guards the heap copy.
 */
final class JsonDirTokens implements TokenStore {
    private final Object lock = new Object();
    private final JsonFiles files;
    private final TreeMap<String, TokenRecord> tokens = new TreeMap<>();

    JsonDirTokens(JsonFiles files) {
        this.files = files;
        for (String json : files.readAll()) {
            TokenRecord t = CaraJson.jsonb().fromJson(json, TokenRecord.class);
            tokens.put(t.id(), t);
        }
    }

    @Override
    public TokenRecord create(TokenRecord token) {
        Objects.requireNonNull(token, "token");
        synchronized (lock) {
            if (tokens.containsKey(token.id())) {
                throw TokenStore.taken(token.id());
            }
            return write(token);
        }
    }

    @Override
    public Optional<TokenRecord> get(String id) {
        synchronized (lock) {
            return Optional.ofNullable(tokens.get(id));
        }
    }

    @Override
    public List<TokenRecord> list() {
        synchronized (lock) {
            return tokens.values().stream()
                    .sorted(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id)).toList();
        }
    }

    @Override
    public TokenRecord revoke(String id) {
        synchronized (lock) {
            TokenRecord current = require(id);
            return current.revoked() ? current : write(current.asRevoked());
        }
    }

    @Override
    public void delete(String id) {
        synchronized (lock) {
            require(id);
            files.delete(id + ".json");
            tokens.remove(id);
        }
    }

    // Called holding lock. Disk first: if the write fails, nothing changed. Ids are [a-z0-9]+, safe as file names.
    private TokenRecord write(TokenRecord token) {
        files.write(token.id() + ".json", CaraJson.jsonb().toJson(token));
        tokens.put(token.id(), token);
        return token;
    }

    private TokenRecord require(String id) {
        TokenRecord current = tokens.get(id);
        if (current == null) {
            throw TokenStore.notFound(id);
        }
        return current;
    }
}
