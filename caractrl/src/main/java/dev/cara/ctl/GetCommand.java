package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.Watch;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** {@code caractrl get nodes} and {@code caractrl get projects}: one listing, two kinds. */
final class GetCommand<T> implements Callable<Integer> {
    /**
     * What a listing needs from its kind, for the options of one command line.
     *
     * @param all    every resource the options select
     * @param one    the named resource (NotFoundException when there is none)
     * @param wanted whether a named resource passes the options' filter
     * @param watch  opens the kind's watch, with the options' filter
     */
    private record Source<T>(Function<CaraClient, List<T>> all, BiFunction<CaraClient, String, T> one, Predicate<T> wanted,
                             WatchOpener<T> watch) {
    }

    @FunctionalInterface
    private interface WatchOpener<T> {
        Watch open(CaraClient client, Consumer<T> items, Consumer<String> onClose);
    }

    private final RootCommand root;
    private final Supplier<Printer.Kind<T>> kind; // resolved at run time: `get nodes` loads nothing of projects
    private final Function<GetCommand<T>, Source<T>> source;
    private final CommandSpec spec;
    private final PositionalParamSpec names;
    private final OptionSpec output = OptionSpec.builder("-o", "--output").paramLabel("FORMAT")
            .type(OutputFormat.class).converters(new OutputFormat.Converter()).defaultValue("table")
            .completionCandidates(OutputFormat.SPELLINGS)
            .description("table, wide, json, yaml or name (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec selector;
    private final OptionSpec watch = CommandSpecs.flag("After listing, print each change as it happens.",
            "-w", "--watch");

    /**
     * {@code get} and its nouns; a command line that names a noun ({@code get nodes}) gets that one
     * alone, since each noun's model costs start-up time (see {@link Cli#run}).
     *
     * @param noun the word after {@code get}, or null
     */
    static CommandSpec spec(RootCommand root, String noun) {
        boolean all = noun == null || !(NODES.contains(noun) || PROJECTS.contains(noun) || EVENTS.contains(noun)
                || TOKENS.contains(noun));
        List<CommandSpec> nouns = new ArrayList<>(3);
        if (all || NODES.contains(noun)) {
            nouns.add(nodes(root).spec);
        }
        if (all || PROJECTS.contains(noun)) {
            nouns.add(projects(root).spec);
        }
        if (all || EVENTS.contains(noun)) {
            nouns.add(events(root).spec);
        }
        CommandSpec get = new GroupCommand("get", "List nodes, projects or events.", "caractrl get nodes",
                nouns.toArray(new CommandSpec[0])).spec();
        get.usageMessage().synopsisSubcommandLabel("nodes|projects|events"); // the same with one noun built
        if (all || TOKENS.contains(noun)) {
            get.addSubcommand("tokens", TokenCommands.get(root));
        }
        return get;
    }

    // Each noun's name and aliases, as its spec below gives them.
    private static final List<String> NODES = List.of("nodes", "node", "no");
    private static final List<String> PROJECTS = List.of("projects", "project", "proj");
    private static final List<String> EVENTS = List.of("events", "event", "ev");
    private static final List<String> TOKENS = List.of("tokens", "token");

    private static GetCommand<Node> nodes(RootCommand root) {
        GetCommand<Node> get = new GetCommand<>(root, () -> NodeColumns.KIND, "nodes", command -> {
            LabelSelector labels = command.parseSelector();
            return new Source<>(c -> c.list(labels).items(), CaraClient::get, labels::matches,
                    (c, items, onClose) -> c.watch(labels, e -> items.accept(e.object()), onClose));
        });
        get.spec.usageMessage().description("List nodes as a table, or print them as JSON, YAML or names.",
                "CONDITIONS lists the adverse conditions (any but Ready that hold), or Healthy.");
        get.spec.aliases(NODES.get(1), NODES.get(2));
        return get;
    }

    private static GetCommand<Project> projects(RootCommand root) {
        OptionSpec phase = OptionSpec.builder("--phase").paramLabel("PHASE").type(List.class).auxiliaryTypes(String.class)
                .completionCandidates(() -> Arrays.stream(ProjectPhase.values()).map(ProjectPhase::wireName).iterator())
                .description("Only projects in this phase; repeatable, any of them matches.").build();
        GetCommand<Project> get = new GetCommand<>(root, () -> ProjectColumns.KIND, "projects", command -> {
            ProjectFilter filter = new ProjectFilter(command.phases(phase), null, command.parseSelector());
            return new Source<>(c -> c.listProjects(filter).items(), CaraClient::getProject, filter,
                    (c, items, onClose) -> c.watchProjects(filter, e -> items.accept(e.object()), onClose));
        });
        get.spec.addOption(phase);
        get.spec.usageMessage().description("List projects as a table, or print them as JSON, YAML or names.",
                "NODE is the node the project is bound to; EXPIRES is the time left until spec.expireAt.");
        get.spec.aliases(PROJECTS.get(1), PROJECTS.get(2));
        return get;
    }

    private static GetCommand<Event> events(RootCommand root) {
        OptionSpec about = OptionSpec.builder("--for").paramLabel("KIND/NAME").type(String.class)
                .description("Only events about this object: node/NAME or project/NAME.").build();
        GetCommand<Event> get = new GetCommand<>(root, () -> EventColumns.KIND, "events", command -> {
            EventFilter filter = command.eventFilter(about);
            return new Source<>(c -> c.listEvents(filter).items(),
                    (c, name) -> c.listEvents(filter).items().stream().filter(e -> e.name().equals(name)).findFirst()
                            .orElseThrow(() -> new NotFoundException(name, "event \"" + name + "\" not found")),
                    filter, (c, items, onClose) -> c.watchEvents(filter, e -> items.accept(e.object()), onClose));
        });
        get.spec.addOption(about);
        get.spec.usageMessage().description("List what the control plane recorded, oldest first and newest last:",
                "nodes registered, Ready, NotReady and why, draining, flapping, deleted; projects scheduled or expired.",
                "COUNT is how often the same event happened (repeats are folded); LAST SEEN is when it last did.");
        get.spec.aliases(EVENTS.get(1), EVENTS.get(2));
        return get;
    }

    /** {@code --for KIND/NAME}, and {@code -l} refused: events have no labels. */
    private EventFilter eventFilter(OptionSpec about) {
        if (selector.getValue() != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-l: events have no labels; use --for node/NAME");
        }
        String text = about.getValue();
        try {
            return text == null ? EventFilter.all() : EventFilter.about(InvolvedObject.parse("--for", text));
        } catch (InvalidException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private GetCommand(RootCommand root, Supplier<Printer.Kind<T>> kind, String noun, Function<GetCommand<T>, Source<T>> source) {
        this.root = root;
        this.kind = kind;
        this.source = source;
        names = PositionalParamSpec.builder().paramLabel("NAME").arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).description("Only these " + noun + " (default: all).").build();
        selector = OptionSpec.builder("-l", "--selector").paramLabel("SELECTOR").type(String.class)
                .description("Only " + noun + " whose labels match, for example env=prod,tier!=db.").build();
        spec = CommandSpecs.command(this, noun)
                .addPositional(names)
                .addOption(output)
                .addOption(selector)
                .addOption(watch);
    }

    @Override
    public Integer call() throws InterruptedException {
        CtlContext ctx = root.context();
        Source<T> from = source.apply(this);
        Printer<T> printer = new Printer<>(kind.get(), output.getValue(), ctx.out(), ctx.err(), ctx.clock());
        CaraClient client = root.client();
        Set<String> wanted = new LinkedHashSet<>(CommandSpecs.strings(names));
        List<T> items = new ArrayList<>();
        int missing = 0;
        if (wanted.isEmpty()) {
            items.addAll(from.all().apply(client));
        } else {
            for (String name : wanted) {
                try {
                    T item = from.one().apply(client, name);
                    if (from.wanted().test(item)) {
                        items.add(item);
                    }
                } catch (NotFoundException e) {
                    ctx.err().println("Error: " + e.getMessage());
                    missing++;
                }
            }
        }
        if (CommandSpecs.isSet(watch)) {
            return watch(printer, from, wanted, items);
        }
        if (missing == 0 || !items.isEmpty()) {
            printer.print(items, wanted.size() == 1);
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

    /** {@code --phase} values in any case ({@code running} is Running); an unknown one is a usage error listing them. */
    private Set<ProjectPhase> phases(OptionSpec phase) {
        Set<ProjectPhase> out = EnumSet.noneOf(ProjectPhase.class);
        for (String text : CommandSpecs.strings(phase)) {
            out.add(Arrays.stream(ProjectPhase.values()).filter(p -> p.wireName().equalsIgnoreCase(text.trim())).findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--phase: \"" + text
                            + "\" is not a phase: use " + String.join(", ",
                            Arrays.stream(ProjectPhase.values()).map(ProjectPhase::wireName).toList()))));
        }
        return out;
    }

    /** Streams until the server ends the watch (or the operator presses Ctrl-C). */
    private int watch(Printer<T> printer, Source<T> from, Set<String> wanted, List<T> known) throws InterruptedException {
        printer.startWatch(known);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<String> reason = new AtomicReference<>();
        Predicate<T> named = item -> wanted.isEmpty() || wanted.contains(kind.get().name().apply(item));
        try (Watch w = from.watch().open(root.client(), item -> {
            if (named.test(item)) {
                printer.printWatched(item);
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
