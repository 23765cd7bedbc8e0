package dev.cara.store.jdbc;

import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;

/**
 * The {@link StoreProvider} for {@code jdbc:postgresql://...} and {@code jdbc:mariadb://...} URLs,
 * found by {@link java.util.ServiceLoader}. The URL goes to the driver as it is, so credentials and
 * driver options ride in it ({@code ?user=cara&password=...}). For other settings, use
 * {@link JdbcStore#builder(String)}.
 */
public final class JdbcStoreProvider implements StoreProvider {
    /** For {@link java.util.ServiceLoader}. */
    public JdbcStoreProvider() {
    }

    @Override
    public String scheme() {
        return "jdbc";
    }

    @Override
    public NodeStore open(String url) {
        return JdbcStore.builder(url).build();
    }
}
