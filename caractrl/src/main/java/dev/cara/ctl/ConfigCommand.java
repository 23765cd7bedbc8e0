package dev.cara.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caractrl config get-contexts | use-context NAME | set-context NAME [...]}: the contexts of
 * the config file ({@link CtlConfig}). set-context takes a token file, never a token: a flag's value
 * shows in {@code ps}.
 */
final class ConfigCommand implements Runnable {
    private final CommandSpec spec;

    static CommandSpec spec(RootCommand root) {
        return new ConfigCommand(root).spec;
    }

    private ConfigCommand(RootCommand root) {
        spec = CommandSpecs.command(this, "config", "Show and change the contexts of the config file.");
        spec.usageMessage().synopsisSubcommandLabel("get-contexts|use-context|set-context");
        spec.addSubcommand("get-contexts", CommandSpecs.command((Callable<Integer>) () -> getContexts(root), "get-contexts",
                "List the contexts; * marks the current one."));
        PositionalParamSpec useName = name();
        spec.addSubcommand("use-context", CommandSpecs.command((Callable<Integer>) () -> useContext(root, useName.getValue()),
                "use-context", "Make a context the current one.").addPositional(useName));
        PositionalParamSpec setName = name();
        // --server, --certificate-authority, --token-file and --insecure-skip-tls-verify are the global
        // flags (inherited by every command): set-context stores what they say instead of using it.
        spec.addSubcommand("set-context", CommandSpecs.command((Callable<Integer>) () -> setContext(root, setName.getValue(),
                                root.serverFlag(), root.certificateAuthorityFlag(), root.tokenFileFlag(), root.insecureFlag()),
                        "set-context", "Create a context or change the settings given (--server, --certificate-authority,",
                        "--token-file, --insecure-skip-tls-verify); the first context becomes the current one.")
                .addPositional(setName));
    }

    private static PositionalParamSpec name() {
        return PositionalParamSpec.builder().paramLabel("NAME").arity("1").required(true).type(String.class).build();
    }

    private static int getContexts(RootCommand root) {
        CtlConfig config = CtlConfig.load(root.configFile());
        TextTable table = new TextTable(List.of("CURRENT", "NAME", "SERVER", "AUTH"));
        for (CtlConfig.Context c : config.contexts()) {
            String auth = !c.tokenFile().isEmpty() ? "token-file" : !c.token().isEmpty() ? "token" : "none";
            table.add(List.of(c.name().equals(config.current()) ? "*" : "", c.name(), c.server(), auth));
        }
        table.print(root.context().out());
        return ExitCodes.OK;
    }

    private static int useContext(RootCommand root, String name) {
        CtlConfig config = CtlConfig.load(root.configFile());
        if (config.context(name).isEmpty()) {
            throw new CtlException(ExitCodes.REFUSED, "no context \"" + name + "\" in " + config.file()
                    + "; create it with: caractrl config set-context " + name + " --server URL");
        }
        config.withCurrent(name).save();
        root.context().out().println("Switched to context \"" + name + "\".");
        return ExitCodes.OK;
    }

    private static int setContext(RootCommand root, String name, String server, String ca, String tokenFile, boolean insecure) {
        CtlConfig config = CtlConfig.load(root.configFile());
        CtlConfig.Context old = config.context(name).orElse(new CtlConfig.Context(name, "", "", "", "", false));
        if (server != null) {
            ServerLocation.resolve(server, java.util.Map.of(), root.context().home()); // checks the URL, naming it
        }
        CtlConfig.Context updated = new CtlConfig.Context(name, server != null ? server : old.server(),
                ca != null ? ca : old.certificateAuthority(), tokenFile != null ? tokenFile : old.tokenFile(), old.token(),
                insecure || old.insecureSkipTlsVerify());
        CtlConfig next = config.withContext(updated);
        (next.current().isEmpty() ? next.withCurrent(name) : next).save();
        root.context().out().println("Context \"" + name + "\" " + (config.context(name).isPresent() ? "modified" : "created") + ".");
        return ExitCodes.OK;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say what to do: caractrl config get-contexts, use-context NAME or set-context NAME");
    }
}
