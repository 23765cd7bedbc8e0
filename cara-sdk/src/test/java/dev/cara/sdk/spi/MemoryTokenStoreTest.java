package dev.cara.sdk.spi;

import dev.cara.sdk.testkit.TokenStoreContract;

/** The in-memory token store runs the whole token-store contract. */
class MemoryTokenStoreTest extends TokenStoreContract {
    @Override
    protected TokenStore newStore() {
        return MemoryTokenStore.create();
    }
}
