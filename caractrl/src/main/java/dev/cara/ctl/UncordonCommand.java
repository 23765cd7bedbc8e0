package dev.cara.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code caractrl uncordon NAME}: clears spec.unschedulable, so the node may take new work again. */
@Command(name = "uncordon", description = "Mark nodes schedulable again.")
final class UncordonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        return CordonCommand.setUnschedulable(spec, names, false);
    }
}
