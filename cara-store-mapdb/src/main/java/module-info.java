/**
 * The embedded, durable store: nodes in one MapDB file, chosen with {@code mapdb:PATH}.
 */
// MapDB 3.1.0 declares no module name: "mapdb" is the one Java derives from its jar, mapdb-3.1.0.jar.
@SuppressWarnings("requires-automatic")
module dev.cara.store.mapdb {
    requires dev.cara.sdk;
    requires java.logging;
    requires mapdb;

    exports dev.cara.store.mapdb;

    provides dev.cara.sdk.spi.StoreProvider with dev.cara.store.mapdb.MapDbStoreProvider;
}
