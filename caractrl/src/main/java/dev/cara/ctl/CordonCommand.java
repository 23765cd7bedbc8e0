package dev.cara.ctl;

import dev.cara.sdk.NodeApplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code caractrl cordon NAME}: sets spec.unschedulable, which drains the node (no new work). */
@Command(name = "cordon", description = "Mark nodes unschedulable (Draining): no new work, running work untouched.")
final class CordonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        return setUnschedulable(spec, names, true);
    }

    static int setUnschedulable(CommandSpec spec, List<String> names, boolean unschedulable) {
        RootCommand root = RootCommand.of(spec);
        CtlContext ctx = root.context();
        NodeApplier applier = new NodeApplier(root.client());
        String verb = unschedulable ? "cordoned" : "uncordoned";
        int code = ExitCodes.OK;
        for (String name : names) {
            try {
                boolean changed = applier.setUnschedulable(name, unschedulable);
                ctx.out().println("node/" + name + (changed ? " " : " already ") + verb);
            } catch (dev.cara.sdk.UnavailableException e) {
                throw e;
            } catch (dev.cara.sdk.CaraException e) {
                ctx.err().println("Error: " + e.getMessage());
                code = ExitCodes.REFUSED;
            }
        }
        return code;
    }
}
