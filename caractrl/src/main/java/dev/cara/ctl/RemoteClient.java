package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.UnavailableException;

/** Opens the SDK's HTTP client for a server URL. */
final class RemoteClient {
    private RemoteClient() {
    }

    static CaraClient open(String server) {
        // TODO(cli): switch to the SDK's HTTP CaraClient when it lands on main.
        throw new UnavailableException("cannot reach the cara server at " + server + ": this build has no HTTP client yet");
    }
}
