package dev.cara.ctl;

import dev.cara.sdk.CaraClient;

/** Opens the client a command talks through; tests hand in one over an in-process control plane. */
@FunctionalInterface
interface ClientFactory {
    /**
     * @param server the server's base URL, as resolved by {@link ServerLocation}
     */
    CaraClient open(String server);

    /** The client for a connection with its token and TLS settings; a test's factory may look at the URL only. */
    default CaraClient open(Connection connection) {
        return open(connection.url());
    }
}
