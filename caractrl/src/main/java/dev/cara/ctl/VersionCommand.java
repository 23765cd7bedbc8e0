package dev.cara.ctl;

import dev.cara.sdk.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code caractrl version}: this client's version, then the server's. */
@Command(name = "version", description = "Print the client and server versions.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--client", description = "Only the client's version; do not contact the server.")
    boolean clientOnly;

    @Override
    public Integer call() {
        RootCommand root = RootCommand.of(spec);
        CtlContext ctx = root.context();
        ctx.out().println("Client Version: " + describe(VersionInfo.current()));
        ctx.out().flush();
        if (!clientOnly) {
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
