package dev.cara.ctl;

import jakarta.json.spi.JsonProvider;

import java.util.Set;

/**
 * Starts JSON-P on a daemon thread while the main thread builds the command and connects, for the
 * commands that read the server's JSON answers.
 *
 * <p>Why: JSON-P's provider class keeps a {@code java.util.logging} logger, so the first JSON read
 * of a run starts the JDK's logging, which reads {@code logging.properties} and looks for a
 * {@code System.LoggerFinder} on the class path, opening and indexing caractrl.jar (1,269 entries)
 * for it. That is 6-7 ms of the main thread in a {@code get nodes} of ~50 ms (timing marks of
 * {@code -Xlog:class+init}), spent before the answer can be read although none of it depends on the
 * answer. On this thread it overlaps picocli's model, the config file and the connection; the main
 * thread's own first use of JSON-P then finds the classes initialised (or waits for the JVM's class
 * initialisation to finish, which is the same work, never twice).
 *
 * <p>Only a warm-up: it keeps nothing, and any failure here is left for the main thread's own use of
 * JSON-P to report in the command's words, so this thread prints nothing and changes no output.
 */
final class JsonWarmUp implements Runnable {
    /**
     * The subcommands that never read JSON from the server. Every other one {@link Cli} names does
     * (completion it never names), so the list of subcommands stays in one place, {@code Cli}'s.
     */
    private static final Set<String> NO_JSON = Set.of("config");

    private JsonWarmUp() {
    }

    /** Starts the warm-up if the command line names a subcommand that reads JSON, and asks for no help. */
    static void startFor(String[] args) {
        if (readsJson(args)) {
            Thread t = new Thread(new JsonWarmUp(), "caractrl-json-warm-up");
            t.setDaemon(true); // never holds the JVM up: a command that ends first just ends
            t.start();
        }
    }

    static boolean readsJson(String[] args) {
        String named = Cli.subcommandNamed(args);
        if (named == null || NO_JSON.contains(named)) {
            return false;
        }
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void run() {
        try {
            // The provider the SDK will use (Main names it in jakarta.json.provider), through JSON-P's
            // public entry point: initialises JsonProvider (and with it java.util.logging) and Parsson.
            JsonProvider.provider();
        } catch (RuntimeException | LinkageError e) {
            // The main thread meets the same problem on its first JSON read and reports it there.
        }
    }
}
