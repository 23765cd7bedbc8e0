package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Watch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;

/** {@code caractrl get nodes}. */
@Command(name = "get", description = "List nodes.", synopsisSubcommandLabel = "nodes",
        subcommands = GetCommand.Nodes.class)
final class GetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to get: caractrl get nodes");
    }

    @Command(name = "nodes", aliases = {"node", "no"},
            description = {"List nodes as a table, or print them as JSON, YAML or names.",
                    "CONDITIONS lists the adverse conditions (any but Ready that hold), or Healthy."})
    static final class Nodes implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these nodes (default: all).")
        List<String> names = new ArrayList<>();

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                completionCandidates = OutputFormat.Candidates.class, converter = OutputFormat.Converter.class,
                description = "table, wide, json, yaml or name (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
                description = "Only nodes whose labels match, for example env=prod,tier!=db.")
        String selector;

        @Option(names = {"-w", "--watch"}, description = "After listing, print each change as it happens.")
        boolean watch;

        @Override
        public Integer call() throws InterruptedException {
            RootCommand root = RootCommand.of(spec);
            CtlContext ctx = root.context();
            LabelSelector labels = parseSelector();
            NodePrinter printer = new NodePrinter(output, ctx.out(), ctx.err(), ctx.clock());
            CaraClient client = root.client();
            Set<String> wanted = new LinkedHashSet<>(names);
            List<Node> nodes = new ArrayList<>();
            int missing = 0;
            if (wanted.isEmpty()) {
                nodes.addAll(client.list(labels).items());
            } else {
                for (String name : wanted) {
                    try {
                        Node n = client.get(name);
                        if (labels.matches(n)) {
                            nodes.add(n);
                        }
                    } catch (NotFoundException e) {
                        ctx.err().println("Error: " + e.getMessage());
                        missing++;
                    }
                }
            }
            if (watch) {
                return watch(root, printer, labels, wanted, nodes);
            }
            if (missing == 0 || !nodes.isEmpty()) {
                printer.print(nodes, wanted.size() == 1);
            }
            return missing == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
        }

        private LabelSelector parseSelector() {
            try {
                return LabelSelector.parse(selector);
            } catch (InvalidException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "-l: " + e.getMessage());
            }
        }

        /** Streams until the server ends the watch (or the operator presses Ctrl-C). */
        private int watch(RootCommand root, NodePrinter printer, LabelSelector labels, Set<String> wanted, List<Node> known)
                throws InterruptedException {
            printer.startWatch(known);
            CountDownLatch ended = new CountDownLatch(1);
            AtomicReference<String> reason = new AtomicReference<>();
            try (Watch w = root.client().watch(labels, event -> {
                if (wanted.isEmpty() || wanted.contains(event.object().name())) {
                    printer.printWatched(event.object());
                }
            }, why -> {
                reason.set(why);
                ended.countDown();
            })) {
                ended.await();
            }
            String why = reason.get();
            throw new CtlException(ExitCodes.UNREACHABLE, "the watch on " + root.location().url() + " ended"
                    + (why == null || why.isBlank() ? "" : ": " + why));
        }
    }
}
