package dev.cara.ctl;

import dev.cara.sdk.BearerToken;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How this run reaches the server: the URL and, from the flags, the environment and the config
 * file's current context, the token, the CA file and whether to skip verification. The token is
 * never held as text here, only its source, which does not print it.
 *
 * @param url                   the base URL
 * @param token                 where the bearer token comes from
 * @param certificateAuthority  a CA file for an https server, or empty for the JDK's trust store
 * @param insecureSkipTlsVerify whether to accept any server certificate
 */
record Connection(String url, BearerToken token, Optional<Path> certificateAuthority, boolean insecureSkipTlsVerify) {
    static Connection plain(String url) {
        return new Connection(url, BearerToken.none(), Optional.empty(), false);
    }
}
