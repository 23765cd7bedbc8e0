package dev.cara.ctl;

import dev.cara.sdk.CaraClient;

/** Opens the client a command talks through; tests hand in one over an in-process control plane. */
@FunctionalInterface
interface ClientFactory {
    /**
     * @param server the server's base URL, as resolved by {@link ServerLocation}
     */
    CaraClient open(String server);
}
