package dev.cara.ctl;

import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.concurrent.Callable;

/** {@code caractrl describe node NAME...}. */
final class DescribeCommand implements Callable<Integer> {
    private final RootCommand root;
    private final CommandSpec spec;
    private final PositionalParamSpec names = CommandSpecs.nodeNames();

    static CommandSpec spec(RootCommand root) {
        return new GroupCommand("describe", "Show a node in detail.", "node", new DescribeCommand(root).spec,
                "caractrl describe node NAME").spec();
    }

    private DescribeCommand(RootCommand root) {
        this.root = root;
        spec = CommandSpecs.nodeNoun(this, names,
                "Spec, status, network, capacity and allocatable, info, and conditions of a node.");
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        int code = ExitCodes.OK;
        boolean first = true;
        for (String name : CommandSpecs.strings(names)) {
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
