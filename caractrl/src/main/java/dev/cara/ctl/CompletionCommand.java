package dev.cara.ctl;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code caractrl completion bash|zsh}: prints a completion script, picocli's. The same script serves
 * zsh, through zsh's bashcompinit, which the script enables itself.
 */
@Command(name = "completion", description = {"Print a shell completion script.",
        "bash: source <(caractrl completion bash)", "zsh:  source <(caractrl completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { BASH, ZSH }

    static final class ShellNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash", "zsh").iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.", completionCandidates = ShellNames.class)
    Shell shell;

    @Override
    public Integer call() {
        CtlContext ctx = RootCommand.of(spec).context();
        ctx.out().print(AutoComplete.bash("caractrl", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
