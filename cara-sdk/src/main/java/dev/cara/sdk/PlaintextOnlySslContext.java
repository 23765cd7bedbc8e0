package dev.cara.sdk;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.security.SecureRandom;

/**
 * The TLS context of a client whose base URL is {@code http://}: it never negotiates TLS, and
 * refuses if asked to.
 *
 * <p>Why it exists: the JDK's {@code HttpClient} builds the default {@link SSLContext} when it is
 * built unless it is given one, and that loads and parses the JDK's whole trust store. For a
 * short-lived program such as {@code caractrl}, which makes one call to a plain-HTTP server, that
 * was half of the command's run time. A client of an {@code http://} server never follows a
 * redirect (they are off) and so never meets a TLS endpoint; should anything try, it fails loudly
 * instead of quietly trusting nothing.
 */
final class PlaintextOnlySslContext extends SSLContext {
    static final SSLContext INSTANCE = new PlaintextOnlySslContext();

    private PlaintextOnlySslContext() {
        super(new Refusing(), null, "plaintext-only");
    }

    private static final class Refusing extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            // Nothing to set up: this context makes no connections.
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        // The JDK client reads these when it is built; empty parameters are the honest answer.
        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException(
                    "this cara client was built for an http:// server and does not speak TLS; use an https:// base URL for TLS");
        }
    }
}
