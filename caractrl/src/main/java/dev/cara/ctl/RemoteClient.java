package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.HttpCaraClientBuilder;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.VersionInfo;
import dev.cara.sdk.spi.HttpTransport;

/** Opens the SDK's HTTP client (or, for the token commands, its bare transport) for a connection. */
final class RemoteClient implements ClientFactory {
    @Override
    public CaraClient open(String server) {
        return open(Connection.plain(server));
    }

    @Override
    public CaraClient open(Connection c) {
        try {
            HttpCaraClientBuilder b = CaraClient.httpBuilder()
                    .baseUrl(c.url())
                    .transport(UrlConnectionTransport::new) // a command makes a call or a few: the transport that starts fastest
                    .userAgent("caractrl/" + VersionInfo.current().version())
                    .bearerToken(c.token());
            c.certificateAuthority().ifPresent(b::trustedCertificates);
            if (c.insecureSkipTlsVerify()) {
                b.insecureSkipTlsVerify();
            }
            return b.build();
        } catch (InvalidException e) {
            throw new CtlException.Usage(e.getMessage());
        }
    }

    /** The transport alone, for calls the SDK client has no method for (the token API). */
    static HttpTransport transport(Connection c) {
        try {
            return new UrlConnectionTransport(new HttpTransport.Settings(java.net.URI.create(c.url()),
                    java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30), "caractrl/" + VersionInfo.current().version(),
                    c.token(), c.certificateAuthority(), c.insecureSkipTlsVerify(), java.util.Optional.empty(), java.util.Optional.empty()));
        } catch (IllegalArgumentException | InvalidException e) {
            throw new CtlException.Usage(e.getMessage());
        }
    }
}
