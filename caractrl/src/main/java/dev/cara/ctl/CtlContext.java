package dev.cara.ctl;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command takes from the outside world, so that tests can run the CLI in-process with
 * their own streams, environment, home directory, clock and client.
 *
 * @param out     standard output: what the command produces
 * @param err     standard error: messages for the operator
 * @param in      standard input, read by {@code apply -f -}
 * @param env     the environment variables ({@code CARA_SERVER})
 * @param home    the user's home directory ({@code ~/.cara/config.yaml})
 * @param clock   the wall clock that ages (AGE, LAST-HEARTBEAT) are measured against
 * @param clients how to reach the server
 */
record CtlContext(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, Path home,
                  Clock clock, ClientFactory clients) {
    CtlContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(in, "in");
        env = Map.copyOf(env);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(clients, "clients");
    }
}
