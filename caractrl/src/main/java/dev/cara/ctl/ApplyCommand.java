package dev.cara.ctl;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.NodeApplier;
import dev.cara.sdk.UnavailableException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caractrl apply -f FILE|DIR|-}. Every manifest is read and checked before anything is
 * written, so that a typo in document 3 does not leave documents 1 and 2 applied alone. Then each
 * node is created or updated in order; a node the server refuses is reported and the rest still go.
 */
final class ApplyCommand implements Callable<Integer> {
    private final RootCommand root;
    private final CommandSpec spec;
    private final OptionSpec files = OptionSpec.builder("-f", "--filename").paramLabel("FILE").required(true)
            .type(List.class).auxiliaryTypes(String.class)
            .description("A manifest file, a directory of them, or - for standard input. Repeatable.").build();
    private final OptionSpec recursive = CommandSpecs.flag("Also read the directories inside a directory.",
            "-R", "--recursive");

    ApplyCommand(RootCommand root) {
        this.root = root;
        spec = CommandSpecs.command(this, "apply",
                        "Create nodes or update their labels, annotations and spec from manifests.",
                        "YAML or JSON, several documents per file; a directory applies its .yaml, .yml and .json files.")
                .addOption(files)
                .addOption(recursive);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        List<Manifests.Manifest> manifests = Manifests.read(CommandSpecs.strings(files), CommandSpecs.isSet(recursive),
                ctx.in());
        NodeApplier applier = new NodeApplier(root.client());
        int code = ExitCodes.OK;
        for (Manifests.Manifest m : manifests) {
            try {
                NodeApplier.Outcome outcome = applier.apply(m.node());
                ctx.out().println("node/" + m.node().name() + " " + outcome.word());
            } catch (UnavailableException | dev.cara.sdk.UnauthorizedException | dev.cara.sdk.RateLimitedException
                     | dev.cara.sdk.ForbiddenException e) {
                throw e; // the next document would fare no better: stop with the exit code that says why
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
