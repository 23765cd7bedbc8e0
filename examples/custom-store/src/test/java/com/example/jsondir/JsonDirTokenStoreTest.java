package com.example.jsondir;

import dev.cara.sdk.spi.TokenStore;
import dev.cara.sdk.testkit.TokenStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The token contract against the example store's tokens, reopened from the same directory. */
class JsonDirTokenStoreTest extends TokenStoreContract {
    @TempDir
    Path dir;

    @Override
    protected TokenStore newStore() {
        return JsonDirStore.open(dir).tokens();
    }

    @Override
    protected TokenStore reopen(TokenStore current) {
        return JsonDirStore.open(dir).tokens();
    }
}
