package dev.cara.ctl;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.UnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one caractrl command line and turns every outcome into an exit code and, for errors, one
 * {@code Error: } line on standard error (plus the stack trace with {@code --debug}).
 */
final class Cli {
    /** The subcommands, in the order help lists them. */
    private static final List<Subcommand> SUBCOMMANDS = List.of(
            new Subcommand("get", null, GetCommand::spec),
            new Subcommand("describe", DescribeCommand::spec),
            new Subcommand("apply", root -> new ApplyCommand(root).spec()),
            new Subcommand("cordon", root -> CordonCommand.cordon(root).spec()),
            new Subcommand("uncordon", root -> CordonCommand.uncordon(root).spec()),
            new Subcommand("delete", root -> withNoun(DeleteCommand.spec(root), "token", TokenCommands.delete(root))),
            new Subcommand("create", TokenCommands::create),
            new Subcommand("config", ConfigCommand::spec),
            new Subcommand("version", root -> new VersionCommand(root).spec()),
            new Subcommand("completion", root -> new CompletionCommand(root).spec()));

    /** A subcommand, built by {@code create}, or by {@code createFor} from the word after it (its noun, or null). */
    private record Subcommand(String name, Function<RootCommand, CommandSpec> create,
                              BiFunction<RootCommand, String, CommandSpec> createFor) {
        Subcommand(String name, Function<RootCommand, CommandSpec> create) {
            this(name, create, null);
        }

        CommandSpec build(RootCommand root, String noun) {
            return createFor != null ? createFor.apply(root, noun) : create.apply(root);
        }
    }

    private Cli() {
    }

    private static CommandSpec withNoun(CommandSpec verb, String noun, CommandSpec command) {
        verb.addSubcommand(noun, command);
        return verb;
    }

    static int run(CtlContext context, String... args) {
        RootCommand root = new RootCommand(context);
        // Building a command's model costs start-up time, so a command line that names a subcommand
        // gets only that one; help, completion and anything unknown (which needs the full list, for
        // suggestions) get them all.
        String named = subcommandNamed(args);
        String noun = named == null ? null : nounNamed(args);
        for (Subcommand s : SUBCOMMANDS) {
            if (named == null || named.equals(s.name())) {
                CommandSpec sub = s.build(root, noun);
                root.spec().addSubcommand(s.name(), sub);
            }
        }
        CommandLine cl = new CommandLine(root.spec());
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

    /** The subcommand the arguments name, unless it is completion or unknown (then null: add every one). */
    static String subcommandNamed(String[] args) {
        String a = word(args, 0);
        if (a == null) {
            return null;
        }
        for (Subcommand s : SUBCOMMANDS) {
            if (s.name().equals(a) && !a.equals("completion")) {
                return a;
            }
        }
        return null;
    }

    /** The word after the subcommand ({@code nodes} in {@code get nodes}), or null; the subcommand decides what it is. */
    static String nounNamed(String[] args) {
        return word(args, 1);
    }

    /**
     * The {@code n}th argument that is not an option or the value of a global option, or null if
     * there is none before the end or {@code --}.
     */
    private static String word(String[] args, int n) {
        int seen = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--server") || a.equals("--config") || a.equals("--token-file") || a.equals("--certificate-authority")) {
                i++; // its value
            } else if (a.equals("--")) {
                return null;
            } else if (!a.startsWith("-")) {
                if (seen == n) {
                    return a;
                }
                seen++;
            }
        }
        return null;
    }

    private static int usageError(CommandLine.ParameterException ex, PrintWriter err) {
        CommandLine cl = ex.getCommandLine();
        err.println("Error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.USAGE;
    }

    private static final String CHECK_CONTEXT = "check `caractrl config get-contexts` (the context's token file, or $CARA_TOKEN)";

    private static int failure(Exception ex, RootCommand root, PrintWriter err) {
        int code;
        String message;
        if (ex instanceof CtlException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (ex instanceof UnavailableException u) {
            code = ExitCodes.UNREACHABLE;
            message = unreachable(u, root.serverForMessages());
        } else if (ex instanceof dev.cara.sdk.UnauthorizedException u) {
            code = ExitCodes.UNAUTHORIZED;
            message = "the server refused the token: " + u.getMessage() + "; " + CHECK_CONTEXT;
        } else if (ex instanceof dev.cara.sdk.RateLimitedException r) {
            code = ExitCodes.UNAUTHORIZED;
            message = "the server refuses this address for now after failed tokens: " + r.getMessage() + "; " + CHECK_CONTEXT;
        } else if (ex instanceof dev.cara.sdk.ForbiddenException f) {
            code = ExitCodes.FORBIDDEN;
            message = "the server refused: " + f.getMessage() + "; use a token whose role may (`caractrl config get-contexts` shows which is in use)";
        } else if (ex instanceof CaraException c) {
            code = ExitCodes.REFUSED;
            message = c.getMessage();
        } else {
            code = ExitCodes.REFUSED;
            message = "unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                    + (root.debug() ? "" : " (run again with --debug to see where)");
        }
        err.println("Error: " + message);
        if (root.debug()) {
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
