package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.VersionInfo;

/** Opens the SDK's HTTP client for a server URL. */
final class RemoteClient {
    private RemoteClient() {
    }

    static CaraClient open(String server) {
        try {
            return CaraClient.httpBuilder()
                    .baseUrl(server)
                    .transport(UrlConnectionTransport::new) // a command makes a call or a few: the transport that starts fastest
                    .userAgent("caractrl/" + VersionInfo.current().version())
                    .build();
        } catch (InvalidException e) {
            throw new CtlException.Usage(e.getMessage());
        }
    }
}
