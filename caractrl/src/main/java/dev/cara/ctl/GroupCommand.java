package dev.cara.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;


/**
 * A verb that needs a noun: {@code get nodes}, {@code describe project}, {@code delete node}. Alone,
 * the verb is a usage error that says what to add.
 */
final class GroupCommand implements Runnable {
    private final CommandSpec spec;
    private final String example;

    /**
     * @param example the complete command line the error suggests, for example "caractrl get nodes"
     * @param nouns   the subcommands, named as the synopsis shows them ({@code nodes|projects})
     */
    GroupCommand(String verb, String description, String example, CommandSpec... nouns) {
        this.example = example;
        spec = CommandSpecs.command(this, verb, description);
        StringBuilder label = new StringBuilder(); // nodes|projects (a loop: streams cost start-up time)
        for (CommandSpec noun : nouns) {
            label.append(label.isEmpty() ? "" : "|").append(noun.name());
        }
        spec.usageMessage().synopsisSubcommandLabel(label.toString());
        for (CommandSpec noun : nouns) {
            spec.addSubcommand(noun.name(), noun);
        }
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to " + spec.name() + ": " + example);
    }
}
