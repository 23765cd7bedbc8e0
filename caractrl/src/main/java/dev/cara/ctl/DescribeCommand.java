package dev.cara.ctl;

import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code caractrl describe node NAME}. */
@Command(name = "describe", description = "Show a node in detail.", synopsisSubcommandLabel = "node",
        subcommands = DescribeCommand.NodeCommand.class)
final class DescribeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to describe: caractrl describe node NAME");
    }

    @Command(name = "node", aliases = {"nodes", "no"},
            description = "Spec, status, network, capacity and allocatable, info, and conditions of a node.")
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
            boolean first = true;
            for (String name : names) {
                Node node;
                try {
                    node = root.client().get(name);
                } catch (NotFoundException e) {
                    ctx.err().println("Error: " + e.getMessage());
                    code = ExitCodes.REFUSED;
                    continue;
                }
                if (!first) {
                    ctx.out().println();
                }
                first = false;
                ctx.out().print(NodeDescription.render(node, ctx.clock().instant()));
            }
            return code;
        }
    }
}
