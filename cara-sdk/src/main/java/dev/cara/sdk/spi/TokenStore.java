package dev.cara.sdk.spi;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;

import java.util.List;
import java.util.Optional;

/**
 * Where tokens are kept: their public part and the hash of their secret ({@link TokenRecord}), never
 * the secret. Implement it beside a {@link NodeStore} and prove it with the contract kit's
 * {@code TokenStoreContract} ({@code cara-sdk-testkit}).
 *
 * <p>Durability: when {@link #create}, {@link #revoke} or {@link #delete} returns, the write must
 * survive a crash of the process (a revocation that is forgotten would let a stolen token back in).
 *
 * <p>Every method is safe to call from many threads. {@link #get} is on every authenticated
 * request's path, so it should be cheap; a store that caches must see a revocation within one second.
 *
 * <p>Errors, as for {@link NodeStore}: a missing id throws {@link NotFoundException}, a taken id
 * {@link AlreadyExistsException}, an unreachable backend {@link UnavailableException}.
 */
public interface TokenStore extends AutoCloseable {
    /**
     * Stores a new token.
     *
     * @throws AlreadyExistsException if the id is taken (ids are random; the caller draws another)
     */
    TokenRecord create(TokenRecord token);

    /** The token with this id, if any, revoked or not. */
    Optional<TokenRecord> get(String id);

    /** Every token, revoked ones too, oldest first (ties by id). */
    List<TokenRecord> list();

    /**
     * Marks a token revoked, for good; revoking it again changes nothing.
     *
     * @return the token as now stored
     * @throws NotFoundException if there is no such token
     */
    TokenRecord revoke(String id);

    /**
     * Forgets a token altogether (a revoked one stays listed until deleted).
     *
     * @throws NotFoundException if there is no such token
     */
    void delete(String id);

    /** Releases what the store holds; a store that shares a {@link NodeStore}'s resources may do nothing. */
    @Override
    default void close() {
    }

    /** The exception for an unknown id, worded the same by every store. */
    static NotFoundException notFound(String id) {
        return new NotFoundException(id, "token \"" + id + "\" not found");
    }

    /** The exception for a taken id, worded the same by every store. */
    static AlreadyExistsException taken(String id) {
        return new AlreadyExistsException(id, "token \"" + id + "\" already exists");
    }
}
