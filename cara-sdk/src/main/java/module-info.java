/**
 * cara's SDK: the node model and wire format, the state rule, the heartbeat monitor, the scheduler
 * filter, the control-plane facade, and the storage and transport SPIs.
 */
module dev.cara.sdk {
    // The readers and writers use JSON-P inside; no exported signature shows its types.
    requires jakarta.json;
    // CaraJson.jsonb() returns a Jsonb: its callers must read JSON-B.
    requires transitive jakarta.json.bind;
    requires java.logging;
    requires transitive java.net.http;
    // Optional: only Settings reads config.yaml with it; binaries that read YAML bring it (see YamlSettings).
    requires static org.yaml.snakeyaml;
    // Optional likewise: only PicocliFlags makes options with it, for the binaries, which bring it.
    requires static info.picocli;

    exports dev.cara.sdk;
    exports dev.cara.sdk.spi;

    uses dev.cara.sdk.spi.StoreProvider;
    provides dev.cara.sdk.spi.StoreProvider with dev.cara.sdk.spi.MemoryStoreProvider;
}
