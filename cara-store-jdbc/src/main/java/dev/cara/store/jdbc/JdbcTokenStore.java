package dev.cara.store.jdbc;

import dev.cara.sdk.Role;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.TokenStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens of a {@link JdbcStore}, in the same database: {@link JdbcStore#tokens()}.
 *
 * <p><b>Schema</b> (migration V3): one row per token in {@code cara_token}, a column per field of
 * {@link TokenRecord}; instants as {@link Instant#toString()} text, exact to the nanosecond.
 *
 * <p><b>Replicas.</b> Nothing is cached here: {@link #get} reads the row on every call, so a token
 * created on one replica authenticates on every other at once, and a revocation is seen by the next
 * read anywhere. The server keeps its own cache of at most one second in front of this store.
 *
 * <p><b>Durability.</b> Every write is one auto-committed statement, with the database's full
 * durability (never relaxed): a created or revoked token survives a crash, as a registration does.
 *
 * <p><b>Threads.</b> Any thread; no state but the database. The owning {@link JdbcStore} holds the
 * pool and closes it.
 */
final class JdbcTokenStore implements TokenStore {
    private static final String COLUMNS = "id, description, role, node, created_at, expires_at, revoked, secret_hash";
    private static final Comparator<TokenRecord> OLDEST_FIRST =
            Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id);

    private final Database db; // closed by the owning store: then every call here throws IllegalStateException

    JdbcTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public TokenRecord create(TokenRecord token) {
        Objects.requireNonNull(token, "token");
        return db.withConnection(c -> {
            db.insert(c, "INSERT INTO cara_token (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                ps.setString(1, token.id());
                ps.setString(2, token.description());
                ps.setString(3, token.role().name());
                ps.setString(4, token.node());
                ps.setString(5, token.createdAt().toString());
                ps.setString(6, token.expiresAt().map(Instant::toString).orElse(null));
                ps.setBoolean(7, token.revoked());
                ps.setString(8, token.secretHash());
            }, () -> TokenStore.taken(token.id()));
            return token;
        });
    }

    @Override
    public Optional<TokenRecord> get(String id) {
        return db.withConnection(c -> Optional.ofNullable(read(c, Objects.requireNonNull(id, "id"))));
    }

    @Override
    public List<TokenRecord> list() {
        List<TokenRecord> tokens = db.withConnection(c -> {
            List<TokenRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cara_token");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rowOf(rs));
                }
            }
            return out;
        });
        tokens.sort(OLDEST_FIRST); // in Java: the text instants do not sort as instants
        return tokens;
    }

    @Override
    public TokenRecord revoke(String id) {
        return db.withConnection(c -> {
            // Idempotent: revoking a revoked token updates nothing that changes.
            update(c, "UPDATE cara_token SET revoked = TRUE WHERE id = ?", id);
            TokenRecord now = read(c, id); // deleted meanwhile by another replica: not found, as if first
            if (now == null) {
                throw TokenStore.notFound(id);
            }
            return now;
        });
    }

    @Override
    public void delete(String id) {
        db.withConnection(c -> {
            if (update(c, "DELETE FROM cara_token WHERE id = ?", id) == 0) {
                throw TokenStore.notFound(id);
            }
            return null;
        });
    }

    /** Runs {@code sql}, whose one parameter is the token's id; how many rows it changed. */
    private static int update(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Objects.requireNonNull(id, "id"));
            return ps.executeUpdate();
        }
    }

    private static TokenRecord read(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cara_token WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rowOf(rs) : null;
            }
        }
    }

    private static TokenRecord rowOf(ResultSet rs) throws SQLException {
        String expires = rs.getString(6);
        return new TokenRecord(rs.getString(1), rs.getString(2), Role.valueOf(rs.getString(3)), rs.getString(4),
                Instant.parse(rs.getString(5)), Optional.ofNullable(expires).map(Instant::parse), rs.getBoolean(7),
                rs.getString(8));
    }
}
