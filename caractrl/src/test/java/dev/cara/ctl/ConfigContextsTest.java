package dev.cara.ctl;

import dev.cara.sdk.BearerToken;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config file's contexts, and how a run picks its server, token and CA from flags, environment and context. */
class ConfigContextsTest {

    @Test
    void setContextCreatesTheFileMode0600AndTheFirstContextBecomesCurrent() throws Exception {
        try (Harness h = new Harness()) {
            Harness.Result r = h.run("config", "set-context", "prod", "--server", "https://cara.example:8443",
                    "--certificate-authority", "/etc/cara/ca.crt", "--token-file", "/home/me/prod.token");
            assertEquals(0, r.code(), r.toString());
            Path file = h.home.resolve(".config/cara/config.yaml");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(0, h.run("config", "set-context", "dev", "--server", "http://localhost:8080").code());
            Harness.Result list = h.run("config", "get-contexts");
            assertTrue(list.out().contains("*         prod   https://cara.example:8443   token-file"), list.out());
            assertTrue(list.out().contains("dev"), list.out());
            assertEquals(0, h.run("config", "use-context", "dev").code());
            assertTrue(h.run("config", "get-contexts").out().contains("*         dev"));
        }
    }

    @Test
    void useContextOfAnUnknownNameSaysHowToCreateIt() {
        try (Harness h = new Harness()) {
            Harness.Result r = h.run("config", "use-context", "nope");
            assertEquals(ExitCodes.REFUSED, r.code());
            assertTrue(r.err().contains("caractrl config set-context nope --server URL"), r.err());
        }
    }

    @Test
    void theCurrentContextsServerIsUsedUnlessAFlagOrTheEnvironmentNamesOne() {
        try (Harness h = new Harness()) {
            h.run("config", "set-context", "lab", "--server", "http://lab.example:9000");
            assertEquals(0, h.run("get", "nodes").code());
            assertEquals("http://lab.example:9000", h.lastServer);
            h.run("--server", "http://flag.example:1", "get", "nodes");
            assertEquals("http://flag.example:1", h.lastServer);
            h.env.put("CARA_SERVER", "http://env.example:2");
            h.run("get", "nodes");
            assertEquals("http://env.example:2", h.lastServer);
        }
    }

    @Test
    void caraConfigAndTheConfigFlagNameOtherFiles() throws Exception {
        try (Harness h = new Harness()) {
            Path other = h.home.resolve("elsewhere.yaml");
            h.env.put(CtlConfig.ENV, other.toString());
            h.run("config", "set-context", "x", "--server", "http://x.example");
            assertTrue(Files.exists(other));
            Path flagged = h.home.resolve("flagged.yaml");
            h.run("--config", flagged.toString(), "config", "set-context", "y", "--server", "http://y.example");
            assertTrue(Files.readString(flagged).contains("http://y.example"));
            assertFalse(Files.readString(other).contains("http://y.example"));
        }
    }

    @Test
    void aTokenComesFromTheEnvironmentBeforeAFileAndNeverShows() throws Exception {
        Path home = Files.createTempDirectory("caractrl-token");
        Path tokenFile = Files.writeString(home.resolve("t"), "cara_fromfile\n");
        CtlConfig config = new CtlConfig(home.resolve("c.yaml"), "a",
                java.util.List.of(new CtlConfig.Context("a", "https://a.example", "", tokenFile.toString(), "", false)));
        config.save();
        CtlConfig read = CtlConfig.load(home.resolve("c.yaml"));
        assertEquals(config.contexts(), read.contexts());
        assertEquals("cara_fromfile", BearerToken.file(tokenFile).read().orElseThrow());
        assertFalse(new CtlConfig.Context("a", "", "", "", "cara_inline", false).toString().contains("cara_inline"));
    }

    @Test
    void aBrokenConfigFileIsAUsageErrorNamingIt() throws Exception {
        try (Harness h = new Harness()) {
            Path file = h.home.resolve(".config/cara/config.yaml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "contexts: 5\n");
            Harness.Result r = h.run("get", "nodes");
            assertEquals(ExitCodes.USAGE, r.code(), r.toString());
            assertTrue(r.err().contains(file.toString()) && r.err().contains("contexts must be a list"), r.err());
        }
    }
}
