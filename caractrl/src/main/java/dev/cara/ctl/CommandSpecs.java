package dev.cara.ctl;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;

/**
 * Builds caractrl's picocli model in code rather than from annotations.
 *
 * <p>Why: a JVM that reads annotations through reflection spins a proxy class per annotation type
 * and method-handle code per field it sets, at run time, on every start; none of it can be kept in
 * the launcher's ahead-of-time cache. For a command that runs for a quarter of a second, that was a
 * fifth of it. The model built here is the same picocli parses, prints help from and completes with.
 *
 * <p>The commands read their values from the specs after parsing ({@code option.getValue()}), so
 * picocli stores them in its own bindings and nothing is injected by reflection.
 */
final class CommandSpecs {
    private CommandSpecs() {
    }

    /** A command whose user object (a {@code Runnable} or {@code Callable}) picocli runs. */
    static CommandSpec command(Object command, String name, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        return spec;
    }

    /** The noun {@code node} (also {@code nodes}, {@code no}) of a verb, taking {@code NAME...}. */
    static CommandSpec nodeNoun(Object command, PositionalParamSpec names, String... description) {
        return command(command, "node", description).aliases("nodes", "no").addPositional(names);
    }

    /** {@code -h, --help} and {@code -V, --version}, as picocli's standard help mixin has them. */
    static void addStandardHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .scopeType(picocli.CommandLine.ScopeType.INHERIT)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .scopeType(picocli.CommandLine.ScopeType.INHERIT)
                .description("Print version information and exit.").build());
    }

    /** A boolean flag. */
    static OptionSpec flag(String description, String... names) {
        return OptionSpec.builder(names).type(boolean.class).description(description).build();
    }

    /** {@code NAME...}: one or more node names. */
    static PositionalParamSpec nodeNames() {
        return PositionalParamSpec.builder().paramLabel("NAME").arity("1..*").required(true)
                .type(List.class).auxiliaryTypes(String.class).build();
    }

    /** The values of a list-valued option or parameter: empty when none were given. */
    static List<String> strings(picocli.CommandLine.Model.ArgSpec arg) {
        List<String> values = arg.getValue();
        return values == null ? List.of() : values;
    }

    /** The value of a flag. */
    static boolean isSet(OptionSpec flag) {
        Boolean value = flag.getValue();
        return value != null && value;
    }
}
