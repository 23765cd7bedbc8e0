package dev.cara.ctl;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.UnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code caractrl delete node NAME...}. */
@Command(name = "delete", description = "Delete nodes.", synopsisSubcommandLabel = "node",
        subcommands = DeleteCommand.NodeCommand.class)
final class DeleteCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to delete: caractrl delete node NAME");
    }

    @Command(name = "node", aliases = {"nodes", "no"},
            description = {"Delete node records. A node that projects are assigned to is refused, with the reason.",
                    "A running agent registers its node again on its next start."})
    static final class NodeCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Override
        public Integer call() {
            RootCommand root = RootCommand.of(spec);
            CtlContext ctx = root.context();
            int code = ExitCodes.OK;
            for (String name : names) {
                try {
                    root.client().delete(name);
                    ctx.out().println("node \"" + name + "\" deleted");
                } catch (UnavailableException e) {
                    throw e;
                } catch (CaraException e) {
                    ctx.err().println("Error: " + e.getMessage());
                    code = ExitCodes.REFUSED;
                }
            }
            return code;
        }
    }
}
