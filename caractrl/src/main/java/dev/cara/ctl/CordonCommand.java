package dev.cara.ctl;

import dev.cara.sdk.NodeApplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caractrl cordon NAME...} sets spec.unschedulable, which drains the node (no new work), and
 * {@code caractrl uncordon NAME...} clears it, so the node may take new work again.
 */
final class CordonCommand implements Callable<Integer> {
    private final RootCommand root;
    private final boolean unschedulable;
    private final CommandSpec spec;
    private final PositionalParamSpec names = CommandSpecs.nodeNames();

    private CordonCommand(RootCommand root, boolean unschedulable, String name, String description) {
        this.root = root;
        this.unschedulable = unschedulable;
        spec = CommandSpecs.command(this, name, description).addPositional(names);
    }

    static CordonCommand cordon(RootCommand root) {
        return new CordonCommand(root, true, "cordon",
                "Mark nodes unschedulable (Draining): no new work, running work untouched.");
    }

    static CordonCommand uncordon(RootCommand root) {
        return new CordonCommand(root, false, "uncordon", "Mark nodes schedulable again.");
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        NodeApplier applier = new NodeApplier(root.client());
        String verb = unschedulable ? "cordoned" : "uncordoned";
        return ctx.eachNode(CommandSpecs.strings(names), name -> {
            boolean changed = applier.setUnschedulable(name, unschedulable);
            ctx.out().println("node/" + name + (changed ? " " : " already ") + verb);
        });
    }
}
