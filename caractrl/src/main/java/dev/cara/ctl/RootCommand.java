package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * {@code caractrl}: the global options and the subcommands. It owns the client for one run: opened on
 * first use (so that {@code --help}, {@code completion} and usage errors never touch the network) and
 * closed by {@link Cli#run} when the command ends. The subcommands are added by {@link Cli}, which
 * adds only the one a command line names.
 */
final class RootCommand implements Runnable {
    // Scope INHERIT: picocli copies these into every subcommand (sharing their values), so that
    // `caractrl get nodes --server URL` and `caractrl --server URL get nodes` mean the same.
    private final OptionSpec server = OptionSpec.builder("--server").paramLabel("URL").type(String.class)
            .scopeType(ScopeType.INHERIT).description("The cara server, for example http://localhost:8080.").build();
    private final OptionSpec debug = OptionSpec.builder("--debug").type(boolean.class)
            .scopeType(ScopeType.INHERIT).description("Print the stack trace of an error.").build();
    private final CommandSpec spec;

    private final CtlContext context;
    private ServerLocation location; // these two are owned by the command's thread
    private CaraClient client;

    RootCommand(CtlContext context) {
        this.context = context;
        spec = CommandSpecs.command(this, "caractrl",
                        "Operates a cara control plane: lists, inspects, applies, drains and deletes nodes and projects.")
                .versionProvider(new VersionCommand.ClientVersion());
        CommandSpecs.addStandardHelpOptions(spec);
        spec.addOption(server).addOption(debug);
        spec.usageMessage()
                .synopsisSubcommandLabel("COMMAND")
                .footer("", "The server is --server, else $CARA_SERVER, else `server:` in ~/.cara/config.yaml, else "
                                + ServerLocation.DEFAULT + ".",
                        "Exit codes: 0 ok, 1 refused or not found, 2 usage error, 3 server unreachable.");
        // Subcommands take the footer and the version provider from here.
        spec.scopeType(ScopeType.INHERIT);
    }

    CommandSpec spec() {
        return spec;
    }

    CtlContext context() {
        return context;
    }

    boolean debug() {
        return CommandSpecs.isSet(debug);
    }

    ServerLocation location() {
        if (location == null) {
            location = ServerLocation.resolve(server.getValue(), context.env(), context.home());
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
