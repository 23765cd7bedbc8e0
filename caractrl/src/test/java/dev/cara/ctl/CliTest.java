package dev.cara.ctl;

import dev.cara.sdk.Node;
import dev.cara.sdk.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private void unreachable() {
        h.clientWrapper = client -> new ApplyTest.Delegating(client) {
            @Override
            public dev.cara.sdk.NodeList list(dev.cara.sdk.LabelSelector selector) {
                throw new UnavailableException("connection refused");
            }

            @Override
            public Node get(String name) {
                throw new UnavailableException("connection refused");
            }

            @Override
            public dev.cara.sdk.VersionInfo serverVersion() {
                throw new UnavailableException("connection refused");
            }
        };
    }

    @Test
    void anUnreachableServerExitsThreeNamingTheUrlWithoutAStackTrace() {
        unreachable();
        Harness.Result r = h.run("get", "nodes", "--server", "http://127.0.0.1:1");
        assertEquals(3, r.code(), r::toString);
        assertEquals("Error: cannot reach the cara server at http://127.0.0.1:1: connection refused\n", r.err());
        assertEquals(3, h.run("describe", "node", "x").code());
        assertEquals(3, h.run("cordon", "x").code());
    }

    @Test
    void debugAddsTheStackTrace() {
        unreachable();
        Harness.Result r = h.run("--debug", "get", "nodes");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("\tat dev.cara.ctl."), r.err());
    }

    @Test
    void versionPrintsClientThenServerAndClientOnlyNeedsNoServer() {
        Harness.Result r = h.run("version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().matches("Client Version: \\S+ \\(build \\S+, API caravanserai/v1\\)\n"
                + "Server Version: \\S+ \\(build \\S+, API caravanserai/v1\\) at http://localhost:8080\n"), r.out());
        unreachable();
        Harness.Result client = h.run("version", "--client");
        assertEquals(0, client.code());
        assertTrue(client.out().startsWith("Client Version: "), client.out());
        Harness.Result down = h.run("version");
        assertEquals(3, down.code());
        assertTrue(down.out().startsWith("Client Version: "), "the client's version still prints: " + down.out());
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"get"}, {"get", "nodes", "--bogus"}, {"completion", "fish"},
                {"get", "nodes", "-o"}, {"get", "nodes", "-o", "xml"}, {"cordon"}, {"uncordon"}, {"describe"},
                {"describe", "node"}, {"delete"}, {"delete", "node"}, {"apply"}, {"apply", "-f"}, {"completion"}}) {
            Harness.Result r = h.run(args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + "\n" + r);
            assertTrue(r.err().startsWith("Error: "), r.err());
            assertTrue(r.err().contains("--help' for usage."), r.err());
            assertEquals("", r.out());
        }
        Harness.Result help = h.run("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"get", "describe", "apply", "cordon", "uncordon", "delete", "version", "completion"}) {
            assertTrue(help.out().contains("\n  " + command + " "), () -> command + " missing from\n" + help.out());
        }
        assertTrue(h.run("get", "nodes", "--help").out().contains("table, wide, json, yaml or name"));
        assertEquals("Error: Missing required parameter: 'NAME'\nRun 'caractrl cordon --help' for usage.\n",
                h.run("cordon").err());
        assertEquals("Error: Missing required option: '--filename=FILE'\nRun 'caractrl apply --help' for usage.\n",
                h.run("apply").err());
    }

    @Test
    void everyCommandHasHelpAndVersionAndTheGlobalOptions() {
        for (String[] command : new String[][] {{}, {"get"}, {"get", "nodes"}, {"describe", "node"}, {"apply"},
                {"cordon"}, {"uncordon"}, {"delete", "node"}, {"version"}, {"completion"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Harness.Result help = h.run(args);
            assertEquals(0, help.code(), help::toString);
            for (String option : new String[] {"-h, --help", "-V, --version", "--server=URL", "--debug"}) {
                assertTrue(help.out().contains(option), () -> String.join(" ", command) + " lacks " + option + "\n" + help.out());
            }
            assertTrue(help.out().contains("Exit codes: 0 ok"), "the footer is on every page: " + help.out());
            args[command.length] = "-V";
            Harness.Result version = h.run(args);
            assertEquals(0, version.code(), version::toString);
            assertTrue(version.out().startsWith("caractrl "), version.out());
        }
    }

    @Test
    void onlyTheNamedSubcommandIsBuiltButHelpAndUnknownsGetThemAll() {
        assertEquals("get", Cli.subcommandNamed(new String[] {"--server", "http://x", "--debug", "get", "nodes"}));
        assertEquals("version", Cli.subcommandNamed(new String[] {"version", "--client"}));
        assertEquals(null, Cli.subcommandNamed(new String[] {"completion", "bash"}));
        assertEquals(null, Cli.subcommandNamed(new String[] {"--help"}));
        assertEquals(null, Cli.subcommandNamed(new String[] {"gte", "nodes"}));
        // get builds only the noun named after it, found past global options and their values.
        assertEquals("nodes", Cli.nounNamed(new String[] {"get", "--server", "http://x", "nodes", "-o", "json"}));
        assertEquals(null, Cli.nounNamed(new String[] {"get", "--help"}));
        assertEquals(null, Cli.nounNamed(new String[] {"get", "--", "nodes"}));
        for (String noun : new String[] {"nodes", "no", "projects", "proj", "events", "ev", "tokens", "token"}) {
            Harness.Result help = h.run("get", noun, "--help");
            assertEquals(0, help.code(), help::toString);
        }
        Harness.Result unknownNoun = h.run("get", "nodez");
        assertEquals(2, unknownNoun.code());
        assertTrue(unknownNoun.err().contains("Did you mean: get node or get nodes"), "suggestions need every noun: " + unknownNoun.err());
        Harness.Result typo = h.run("gte", "nodes");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Did you mean: caractrl "), "suggestions need every command: " + typo.err());
    }

    @Test
    void completionPrintsAScriptForBashAndZsh() {
        Harness.Result bash = h.run("completion", "bash");
        assertEquals(0, bash.code(), bash::toString);
        assertTrue(bash.out().contains("complete -F _complete_caractrl"), bash.out());
        assertTrue(bash.out().contains("cordon"), "lists the subcommands");
        Harness.Result zsh = h.run("completion", "zsh");
        assertEquals(0, zsh.code());
        assertTrue(zsh.out().contains("bashcompinit"), "zsh runs it through bashcompinit");
    }

    @Test
    void serverComesFromTheFlagThenTheEnvironmentThenTheConfigFileThenTheDefault() throws IOException {
        h.run("get", "nodes");
        assertEquals("http://localhost:8080", h.lastServer);
        Files.createDirectories(h.home.resolve(".cara"));
        Files.writeString(h.home.resolve(".cara/config.yaml"), "server: http://from-config:8080/\n");
        h.run("get", "nodes");
        assertEquals("http://from-config:8080", h.lastServer);
        h.env.put("CARA_SERVER", "http://from-env:9000");
        h.run("get", "nodes");
        assertEquals("http://from-env:9000", h.lastServer);
        h.run("--server", "https://from-flag", "get", "nodes");
        assertEquals("https://from-flag", h.lastServer);
        h.run("get", "nodes", "--server", "http://after-the-command:1");
        assertEquals("http://after-the-command:1", h.lastServer);
    }

    @Test
    void aBadServerSettingIsAUsageErrorNamingWhereItCameFrom() throws IOException {
        h.env.put("CARA_SERVER", "localhost:8080");
        Harness.Result env = h.run("get", "nodes");
        assertEquals(2, env.code());
        assertEquals("Error: CARA_SERVER (environment): \"localhost:8080\" is invalid: must be an http:// or https:// URL"
                + " with a host, such as http://localhost:8080\n", env.err());
        h.env.clear();
        Files.createDirectories(h.home.resolve(".cara"));
        Files.writeString(h.home.resolve(".cara/config.yaml"), "server: [oops\n");
        Harness.Result file = h.run("get", "nodes");
        assertEquals(2, file.code());
        assertTrue(file.err().startsWith("Error: " + h.home.resolve(".cara/config.yaml") + " is not valid YAML at line "), file.err());
        assertFalse(file.err().contains("\tat "));
    }
}
