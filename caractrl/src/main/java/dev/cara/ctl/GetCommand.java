package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Watch;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;

/** {@code caractrl get nodes}. */
final class GetCommand implements Callable<Integer> {
    private final RootCommand root;
    private final CommandSpec spec;
    private final PositionalParamSpec names = PositionalParamSpec.builder().paramLabel("NAME").arity("0..*")
            .type(List.class).auxiliaryTypes(String.class).description("Only these nodes (default: all).").build();
    private final OptionSpec output = OptionSpec.builder("-o", "--output").paramLabel("FORMAT")
            .type(OutputFormat.class).converters(new OutputFormat.Converter()).defaultValue("table")
            .completionCandidates(OutputFormat.SPELLINGS)
            .description("table, wide, json, yaml or name (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec selector = OptionSpec.builder("-l", "--selector").paramLabel("SELECTOR")
            .type(String.class).description("Only nodes whose labels match, for example env=prod,tier!=db.").build();
    private final OptionSpec watch = CommandSpecs.flag("After listing, print each change as it happens.",
            "-w", "--watch");

    static CommandSpec spec(RootCommand root) {
        return new GroupCommand("get", "List nodes.", "nodes", new GetCommand(root).spec, "caractrl get nodes").spec();
    }

    private GetCommand(RootCommand root) {
        this.root = root;
        spec = CommandSpecs.command(this, "nodes",
                        "List nodes as a table, or print them as JSON, YAML or names.",
                        "CONDITIONS lists the adverse conditions (any but Ready that hold), or Healthy.")
                .aliases("node", "no")
                .addPositional(names)
                .addOption(output)
                .addOption(selector)
                .addOption(watch);
    }

    @Override
    public Integer call() throws InterruptedException {
        CtlContext ctx = root.context();
        LabelSelector labels = parseSelector();
        NodePrinter printer = new NodePrinter(output.getValue(), ctx.out(), ctx.err(), ctx.clock());
        CaraClient client = root.client();
        Set<String> wanted = new LinkedHashSet<>(CommandSpecs.strings(names));
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
        if (CommandSpecs.isSet(watch)) {
            return watch(printer, labels, wanted, nodes);
        }
        if (missing == 0 || !nodes.isEmpty()) {
            printer.print(nodes, wanted.size() == 1);
        }
        return missing == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
    }

    private LabelSelector parseSelector() {
        try {
            return LabelSelector.parse(selector.getValue());
        } catch (InvalidException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-l: " + e.getMessage());
        }
    }

    /** Streams until the server ends the watch (or the operator presses Ctrl-C). */
    private int watch(NodePrinter printer, LabelSelector labels, Set<String> wanted, List<Node> known)
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
