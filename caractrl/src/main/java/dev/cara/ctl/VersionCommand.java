package dev.cara.ctl;

import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.concurrent.Callable;

/** {@code caractrl version}: this client's version, then the server's. */
final class VersionCommand implements Callable<Integer> {
    private final RootCommand root;
    private final CommandSpec spec;
    private final OptionSpec clientOnly = CommandSpecs.flag("Only the client's version; do not contact the server.",
            "--client");

    VersionCommand(RootCommand root) {
        this.root = root;
        spec = CommandSpecs.command(this, "version", "Print the client and server versions.").addOption(clientOnly);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        ctx.out().println("Client Version: " + describe(VersionInfo.current()));
        ctx.out().flush();
        if (!CommandSpecs.isSet(clientOnly)) {
            VersionInfo server = root.client().serverVersion();
            ctx.out().println("Server Version: " + describe(server) + " at " + root.location().url());
        }
        return ExitCodes.OK;
    }

    static String describe(VersionInfo v) {
        return v.version() + " (build " + v.build() + ", API " + v.apiVersion() + ")";
    }

    /** For {@code caractrl --version}. */
    static final class ClientVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"caractrl " + describe(VersionInfo.current())};
        }
    }
}
