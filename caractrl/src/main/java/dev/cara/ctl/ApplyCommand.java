package dev.cara.ctl;

import dev.cara.sdk.NodeApplier;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.UnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caractrl apply -f FILE|DIR|-}. Every manifest is read and checked before anything is
 * written, so that a typo in document 3 does not leave documents 1 and 2 applied alone. Then each
 * node is created or updated in order; a node the server refuses is reported and the rest still go.
 */
@Command(name = "apply", description = {"Create nodes or update their labels, annotations and spec from manifests.",
        "YAML or JSON, several documents per file; a directory applies its .yaml, .yml and .json files."})
final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "A manifest file, a directory of them, or - for standard input. Repeatable.")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also read the directories inside a directory.")
    boolean recursive;

    @Override
    public Integer call() {
        RootCommand root = RootCommand.of(spec);
        CtlContext ctx = root.context();
        List<Manifests.Manifest> manifests = Manifests.read(files, recursive, ctx.in());
        NodeApplier applier = new NodeApplier(root.client());
        int code = ExitCodes.OK;
        for (Manifests.Manifest m : manifests) {
            try {
                NodeApplier.Outcome outcome = applier.apply(m.node());
                ctx.out().println("node/" + m.node().name() + " " + outcome.word());
            } catch (UnavailableException e) {
                throw e;
            } catch (CaraException e) {
                ctx.err().println("Error: " + m.source() + ": document " + m.document() + ": node/" + m.node().name()
                        + ": " + e.getMessage());
                code = ExitCodes.REFUSED;
            }
            ctx.out().flush();
        }
        return code;
    }
}
