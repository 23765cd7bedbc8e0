package dev.cara.sdk.spi;

import dev.cara.sdk.InvalidException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens a {@link NodeStore} from a URL. Providers are found with {@link ServiceLoader}: list the
 * implementation in {@code META-INF/services/dev.cara.sdk.spi.StoreProvider} (or {@code provides}
 * in {@code module-info.java}). The URL's scheme chooses the provider: {@code memory:},
 * {@code mapdb:PATH}, {@code jdbc:postgresql://...}.
 */
public interface StoreProvider {

    /** The URL scheme this provider serves, without the colon: {@code memory}, {@code mapdb}, {@code jdbc}. */
    String scheme();

    /**
     * Opens the store named by {@code url}, whose scheme is {@link #scheme()}.
     *
     * @throws InvalidException when the rest of the URL is malformed
     */
    NodeStore open(String url);

    /**
     * Opens a store by URL with the first provider on the class path whose scheme matches.
     *
     * @throws InvalidException naming the URL and the schemes available, when none matches
     */
    static NodeStore openUrl(String url) {
        return forUrl(url, StoreProvider.class.getClassLoader()).open(url);
    }

    /** The provider for a URL, searched with the given class loader. */
    static StoreProvider forUrl(String url, ClassLoader loader) {
        int colon = url == null ? -1 : url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon);
        List<String> known = new ArrayList<>();
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, loader)) {
            if (provider.scheme().equals(scheme)) {
                return provider;
            }
            known.add(provider.scheme() + ":");
        }
        throw new InvalidException("store", url, "a store URL whose scheme is one of " + known
                + " (for example memory: or mapdb:./cara-data/cara.db)");
    }
}
