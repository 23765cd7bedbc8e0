package dev.cara.ctl;

import dev.cara.sdk.BearerToken;
import dev.cara.sdk.CaraClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
    private final OptionSpec config = OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
            .scopeType(ScopeType.INHERIT).description("The config file (default $CARACONFIG, else ~/.config/cara/config.yaml).").build();
    private final OptionSpec tokenFile = OptionSpec.builder("--token-file").paramLabel("FILE").type(String.class)
            .scopeType(ScopeType.INHERIT).description("Read the bearer token from FILE (or set $CARA_TOKEN; never pass a token as a flag).").build();
    private final OptionSpec certificateAuthority = OptionSpec.builder("--certificate-authority").paramLabel("FILE")
            .type(String.class).scopeType(ScopeType.INHERIT).description("Verify an https server with this CA file (PEM).").build();
    private final OptionSpec insecure = OptionSpec.builder("--insecure-skip-tls-verify").type(boolean.class)
            .scopeType(ScopeType.INHERIT).description("Do not verify the server's certificate (insecure; warns).").build();
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
        spec.addOption(server).addOption(debug).addOption(config).addOption(tokenFile).addOption(certificateAuthority)
                .addOption(insecure);
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
            String flag = server.getValue();
            Optional<CtlConfig.Context> ctx = flag == null && !context.env().containsKey(ServerLocation.KEY)
                    ? currentContext().filter(c -> !c.server().isEmpty()) : Optional.empty();
            location = ctx.map(c -> new ServerLocation(c.server(), "context " + c.name()))
                    .orElseGet(() -> ServerLocation.resolve(flag, context.env(), context.home()));
        }
        return location;
    }

    /** The global flags as given (null when not), for {@code config set-context}, which stores them. */
    String serverFlag() {
        return server.getValue();
    }

    String tokenFileFlag() {
        return tokenFile.getValue();
    }

    String certificateAuthorityFlag() {
        return certificateAuthority.getValue();
    }

    boolean insecureFlag() {
        return CommandSpecs.isSet(insecure);
    }

    /** The config file for this run (it may not exist). */
    Path configFile() {
        return CtlConfig.locate(config.getValue(), context.env(), context.home());
    }

    /** The config file's current context; the file is read only when it exists. */
    private Optional<CtlConfig.Context> currentContext() {
        Path file = configFile();
        return Files.exists(file) ? CtlConfig.load(file).currentContext() : Optional.empty();
    }

    /**
     * The URL, token and TLS settings: flags first, then the environment ({@code CARA_TOKEN}), then the
     * current context. A token comes from a file or the environment, so that it never shows in {@code ps}.
     */
    Connection connection() {
        Optional<CtlConfig.Context> ctx = currentContext();
        String envToken = context.env().get("CARA_TOKEN");
        BearerToken token;
        if (envToken != null && !envToken.isBlank()) {
            token = BearerToken.of(envToken);
        } else if (tokenFile.getValue() != null) {
            token = BearerToken.file(Path.of((String) tokenFile.getValue()));
        } else if (ctx.isPresent() && !ctx.get().tokenFile().isEmpty()) {
            token = BearerToken.file(Path.of(ctx.get().tokenFile()));
        } else if (ctx.isPresent() && !ctx.get().token().isEmpty()) {
            token = BearerToken.of(ctx.get().token());
        } else {
            token = BearerToken.none();
        }
        String ca = certificateAuthority.getValue() != null ? certificateAuthority.getValue()
                : ctx.map(CtlConfig.Context::certificateAuthority).filter(s -> !s.isEmpty()).orElse(null);
        boolean skip = CommandSpecs.isSet(insecure) || ctx.map(CtlConfig.Context::insecureSkipTlsVerify).orElse(false);
        if (skip) {
            context.err().println("Warning: --insecure-skip-tls-verify: the server's certificate is not checked");
        }
        return new Connection(location().url(), token, Optional.ofNullable(ca).map(Path::of), skip);
    }

    /** The server's URL if it has been resolved, for messages; never resolves it. */
    String serverForMessages() {
        return location == null ? null : location.url();
    }

    CaraClient client() {
        if (client == null) {
            client = context.clients().open(connection());
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
