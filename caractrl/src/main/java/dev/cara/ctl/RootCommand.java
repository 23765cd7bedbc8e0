package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code caractrl}: the global options and the subcommands. It owns the client for one run: opened on
 * first use (so that {@code --help}, {@code completion} and usage errors never touch the network) and
 * closed by {@link Cli#run} when the command ends.
 */
@Command(name = "caractrl",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionCommand.ClientVersion.class,
        description = "Operates a cara control plane: lists, inspects, applies, drains and deletes nodes.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "The server is --server, else $CARA_SERVER, else `server:` in ~/.cara/config.yaml, else "
                + ServerLocation.DEFAULT + ".",
                "Exit codes: 0 ok, 1 refused or not found, 2 usage error, 3 server unreachable."})
// The subcommands are added by Cli, which adds only the one a command line names (see there).
final class RootCommand implements Runnable {
    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The cara server, for example http://localhost:8080.")
    String server;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final CtlContext context;
    private ServerLocation location; // these two are owned by the command's thread
    private CaraClient client;

    RootCommand(CtlContext context) {
        this.context = context;
    }

    /** The root of the command a subcommand runs under. */
    static RootCommand of(CommandSpec spec) {
        return (RootCommand) spec.root().userObject();
    }

    CtlContext context() {
        return context;
    }

    ServerLocation location() {
        if (location == null) {
            location = ServerLocation.resolve(server, context.env(), context.home());
        }
        return location;
    }

    /** The server's URL if it has been resolved, for messages; never resolves it. */
    String serverForMessages() {
        return location == null ? null : location.url();
    }

    CaraClient client() {
        if (client == null) {
            client = context.clients().open(location().url());
        }
        return client;
    }

    void closeClient() {
        if (client != null) {
            try {
                client.close();
            } finally {
                client = null;
            }
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
