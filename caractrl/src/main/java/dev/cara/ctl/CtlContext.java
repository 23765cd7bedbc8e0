package dev.cara.ctl;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.UnavailableException;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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

    /**
     * Runs {@code action} on each named node in turn. A node the server refuses (not found, a guard,
     * a conflict) is reported as an {@code Error:} line and the rest still go, ending in exit code 1;
     * a server that cannot be reached ends the command at once (exit code 3, through {@link Cli}).
     */
    int eachNode(List<String> names, Consumer<String> action) {
        int code = ExitCodes.OK;
        for (String name : names) {
            try {
                action.accept(name);
            } catch (UnavailableException | dev.cara.sdk.UnauthorizedException | dev.cara.sdk.RateLimitedException
                     | dev.cara.sdk.ForbiddenException e) {
                throw e; // the next node would fare no better: stop with the exit code that says why
            } catch (CaraException e) {
                err.println("Error: " + e.getMessage());
                code = ExitCodes.REFUSED;
            }
        }
        return code;
    }
}
