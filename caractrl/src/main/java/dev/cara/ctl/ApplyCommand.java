package dev.cara.ctl;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.Manifest;
import dev.cara.sdk.NodeApplier;
import dev.cara.sdk.ProjectApplier;
import dev.cara.sdk.UnavailableException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code caractrl apply -f FILE|DIR|-}. Every manifest is read and checked before anything is
 * written, so that a typo in document 3 does not leave documents 1 and 2 applied alone. Then each
 * node or project is created or updated in order; one the server refuses is reported and the rest
 * still go.
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
                        "Create nodes and projects, or update their labels, annotations and spec, from manifests.",
                        "YAML or JSON, several documents per file, Node and Project documents mixed;",
                        "a directory applies its .yaml, .yml and .json files.")
                .addOption(files)
                .addOption(recursive);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        List<Manifests.Resource> manifests = Manifests.read(CommandSpecs.strings(files), CommandSpecs.isSet(recursive),
                ctx.in());
        NodeApplier nodes = new NodeApplier(root.client());
        ProjectApplier projects = new ProjectApplier(root.client());
        int code = ExitCodes.OK;
        for (Manifests.Resource r : manifests) {
            String what = r.manifest().kind().toLowerCase(Locale.ROOT) + "/" + r.manifest().name();
            try {
                NodeApplier.Outcome outcome = switch (r.manifest()) {
                    case Manifest.OfNode n -> nodes.apply(n.node());
                    case Manifest.OfProject p -> projects.apply(p.project());
                };
                ctx.out().println(what + " " + outcome.word());
            } catch (UnavailableException | dev.cara.sdk.UnauthorizedException | dev.cara.sdk.RateLimitedException
                     | dev.cara.sdk.ForbiddenException e) {
                throw e; // the next document would fare no better: stop with the exit code that says why
            } catch (CaraException e) {
                ctx.err().println("Error: " + r.source() + ": document " + r.document() + ": " + what + ": " + e.getMessage());
                code = ExitCodes.REFUSED;
            }
            ctx.out().flush();
        }
        return code;
    }
}
