package dev.cara.ctl;

import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caractrl completion bash|zsh}: prints a completion script, picocli's. The same script serves
 * zsh, through zsh's bashcompinit, which the script enables itself.
 */
final class CompletionCommand implements Callable<Integer> {
    enum Shell { BASH, ZSH }

    private final RootCommand root;
    private final CommandSpec spec;

    CompletionCommand(RootCommand root) {
        this.root = root;
        spec = CommandSpecs.command(this, "completion", "Print a shell completion script.",
                        "bash: source <(caractrl completion bash)", "zsh:  source <(caractrl completion zsh)")
                .addPositional(PositionalParamSpec.builder().paramLabel("SHELL").type(Shell.class).required(true)
                        .completionCandidates(List.of("bash", "zsh")).description("bash or zsh.").build());
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        root.context().out().print(AutoComplete.bash("caractrl", root.spec().commandLine()));
        return ExitCodes.OK;
    }
}
