package dev.cara.store.jdbc.modulepath;

import dev.cara.sdk.Node;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;

import java.util.ServiceLoader;

/**
 * Run by {@code ModulePathIT} in a JVM that has the store and its libraries on the module path:
 * finds the store through the SDK's service, opens each URL given (which migrates the schema), writes
 * a node and prints what it sees. In a package of its own, since the store's module owns
 * {@code dev.cara.store.jdbc}.
 */
public final class ModulePathMain {
    private ModulePathMain() {
    }

    public static void main(String[] args) {
        for (String url : args) {
            StoreProvider provider = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.scheme().equals("jdbc")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jdbc store provider on the module path"));
            try (NodeStore store = provider.open(url)) {
                store.create(Node.builder("on-the-module-path").build());
                System.out.println("provider in " + provider.getClass().getModule() + ": "
                        + store.list().nodes().size() + " node, revision " + store.revision());
            }
        }
    }
}
