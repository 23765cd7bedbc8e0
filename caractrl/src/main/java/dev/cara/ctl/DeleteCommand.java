package dev.cara.ctl;

import dev.cara.sdk.ProjectDeleteOutcome;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.concurrent.Callable;

/** {@code caractrl delete node NAME...} and {@code caractrl delete project NAME... [--force]}. */
final class DeleteCommand {
    private DeleteCommand() {
    }

    static CommandSpec spec(RootCommand root) {
        return new GroupCommand("delete", "Delete nodes or projects.", "caractrl delete node NAME",
                node(root), project(root)).spec();
    }

    private static CommandSpec node(RootCommand root) {
        PositionalParamSpec names = CommandSpecs.nodeNames();
        Callable<Integer> delete = () -> {
            CtlContext ctx = root.context();
            return ctx.eachNode(CommandSpecs.strings(names), name -> {
                root.client().delete(name);
                ctx.out().println("node \"" + name + "\" deleted");
            });
        };
        return CommandSpecs.nodeNoun(delete, names,
                "Delete node records. A node that projects are assigned to is refused, with the reason.",
                "A running agent registers its node again on its next start.");
    }

    private static CommandSpec project(RootCommand root) {
        PositionalParamSpec names = CommandSpecs.nodeNames();
        OptionSpec force = CommandSpecs.flag("Remove the record at once, whatever the phase; containers on its node"
                + " may be left behind.", "--force");
        Callable<Integer> delete = () -> {
            CtlContext ctx = root.context();
            return ctx.eachNode(CommandSpecs.strings(names), name -> {
                ProjectDeleteOutcome outcome = root.client().deleteProject(name, CommandSpecs.isSet(force));
                ctx.out().println("project \"" + name + "\" " + switch (outcome) {
                    case ProjectDeleteOutcome.Removed r -> "deleted";
                    case ProjectDeleteOutcome.Terminating t -> "terminating (its node's agent is tearing it down;"
                            + " the record goes once it reports Terminated)";
                });
            });
        };
        return CommandSpecs.command(delete, "project",
                        "Delete projects. A Pending or Failed one is removed at once; a Scheduled or Running one",
                        "turns Terminating until its node's agent has torn it down.")
                .aliases("projects", "proj").addPositional(names).addOption(force);
    }
}
