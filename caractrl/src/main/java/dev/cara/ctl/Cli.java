package dev.cara.ctl;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.UnavailableException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs one caractrl command line and turns every outcome into an exit code and, for errors, one
 * {@code Error: } line on standard error (plus the stack trace with {@code --debug}).
 */
final class Cli {
    private Cli() {
    }

    static int run(CtlContext context, String... args) {
        RootCommand root = new RootCommand(context);
        CommandLine cl = new CommandLine(root);
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, arguments) -> usageError(ex, context.err()));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ex, root, context.err()));
        try {
            return cl.execute(args);
        } finally {
            try {
                root.closeClient();
            } catch (RuntimeException e) {
                // Closing only releases connections; the command's outcome stands.
            }
            context.out().flush();
            context.err().flush();
        }
    }

    private static int usageError(CommandLine.ParameterException ex, PrintWriter err) {
        CommandLine cl = ex.getCommandLine();
        err.println("Error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.USAGE;
    }

    private static int failure(Exception ex, RootCommand root, PrintWriter err) {
        int code;
        String message;
        if (ex instanceof CtlException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (ex instanceof UnavailableException u) {
            code = ExitCodes.UNREACHABLE;
            message = unreachable(u, root.serverForMessages());
        } else if (ex instanceof CaraException c) {
            code = ExitCodes.REFUSED;
            message = c.getMessage();
        } else {
            code = ExitCodes.REFUSED;
            message = "unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                    + (root.debug ? "" : " (run again with --debug to see where)");
        }
        err.println("Error: " + message);
        if (root.debug) {
            ex.printStackTrace(err);
        }
        return code;
    }

    /** The message always names the URL that was tried, so that a wrong --server is easy to spot. */
    static String unreachable(UnavailableException e, String server) {
        String detail = e.getMessage() == null ? "no answer" : e.getMessage();
        if (server == null || detail.contains(server)) {
            return detail;
        }
        return "cannot reach the cara server at " + server + ": " + detail;
    }
}
