package dev.cara.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A verb that needs a noun: {@code get nodes}, {@code describe node}, {@code delete node}. Alone, the
 * verb is a usage error that says what to add.
 */
final class GroupCommand implements Runnable {
    private final CommandSpec spec;
    private final String example;

    /**
     * @param noun    the subcommand's name, shown in the synopsis
     * @param example the complete command line the error suggests, for example "caractrl get nodes"
     */
    GroupCommand(String verb, String description, String noun, CommandSpec subcommand, String example) {
        this.example = example;
        spec = CommandSpecs.command(this, verb, description);
        spec.usageMessage().synopsisSubcommandLabel(noun);
        spec.addSubcommand(noun, subcommand);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to " + spec.name() + ": " + example);
    }
}
