package dev.cara.ctl;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.concurrent.Callable;

/** {@code caractrl delete node NAME...}. */
final class DeleteCommand implements Callable<Integer> {
    private final RootCommand root;
    private final CommandSpec spec;
    private final PositionalParamSpec names = CommandSpecs.nodeNames();

    static CommandSpec spec(RootCommand root) {
        return new GroupCommand("delete", "Delete nodes.", "node", new DeleteCommand(root).spec,
                "caractrl delete node NAME").spec();
    }

    private DeleteCommand(RootCommand root) {
        this.root = root;
        spec = CommandSpecs.nodeNoun(this, names,
                "Delete node records. A node that projects are assigned to is refused, with the reason.",
                "A running agent registers its node again on its next start.");
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        return ctx.eachNode(CommandSpecs.strings(names), name -> {
            root.client().delete(name);
            ctx.out().println("node \"" + name + "\" deleted");
        });
    }
}
