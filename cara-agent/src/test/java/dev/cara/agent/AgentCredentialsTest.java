package dev.cara.agent;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.internal.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentCredentialsTest {
    private static final String BOOTSTRAP = "cara_0000000000000001_bootstrapsecret";
    private static final String NODE = "cara_0000000000000002_nodesecret";

    @TempDir
    Path dir;

    private AgentCredentials credentials(Map<String, String> env) {
        return AgentCredentials.from(Settings.builder().directory(dir).environment(env).build());
    }

    @Test
    void theStoredCredentialIsOwnerOnlyEvenOverAWiderFileAndLeavesNoTemporaryFileBehind() throws IOException {
        Path file = dir.resolve("state").resolve("credential");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        AgentCredentials c = credentials(Map.of("CREDENTIAL_FILE", file.toString()));
        c.store(NODE);
        assertEquals(NODE + "\n", Files.readString(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(java.util.List.of(file), left.toList(), "the temporary file was moved over the credential");
        }
    }

    @Test
    void theBootstrapTokenIsSentUntilACredentialIsStoredAndTheCredentialFromThenOnAlsoAfterARestart() throws IOException {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.token"), BOOTSTRAP + "\n");
        Map<String, String> env = Map.of("TOKEN_FILE", bootstrap.toString(), "CREDENTIAL_FILE", dir.resolve("cred").toString());
        AgentCredentials c = credentials(env);
        assertEquals(Optional.of(BOOTSTRAP), c.token().read());
        c.store(NODE);
        assertEquals(Optional.of(NODE), c.token().read(), "read again per request: the stored credential wins");
        assertEquals(Optional.of(NODE), credentials(env).token().read(), "a restarted agent reuses it");
    }

    @Test
    void withoutAnyTokenNoneIsSentAndTheDefaultCredentialFileIsInTheWorkingDirectory() {
        AgentCredentials c = credentials(Map.of());
        assertEquals(AgentCredentials.DEFAULT_CREDENTIAL_FILE, c.credentialFile());
        assertEquals(Path.of("cara-agent-credential"), c.credentialFile());
        assertTrue(c.tokenFile().isEmpty());
    }

    @Test
    void aMissingCaFileOrACertificateWithoutItsKeyIsRefusedByName() throws IOException {
        InvalidException ca = assertThrows(InvalidException.class,
                () -> credentials(Map.of("CERTIFICATE_AUTHORITY", dir.resolve("nope.crt").toString())));
        assertTrue(ca.getMessage().contains("CERTIFICATE_AUTHORITY"), ca.getMessage());
        Path cert = Files.writeString(dir.resolve("c.crt"), "x");
        InvalidException half = assertThrows(InvalidException.class, () -> credentials(Map.of("CLIENT_CERTIFICATE", cert.toString())));
        assertTrue(half.getMessage().contains("CLIENT_KEY"), half.getMessage());
    }

    @Test
    void aCredentialThatCannotBeStoredSaysWhereAndHowToFixIt() throws IOException {
        Path blocker = Files.writeString(dir.resolve("file"), "");
        AgentCredentials c = credentials(Map.of("CREDENTIAL_FILE", blocker.resolve("cred").toString()));
        AgentException e = assertThrows(AgentException.class, () -> c.store(NODE));
        assertTrue(e.getMessage().contains("CREDENTIAL_FILE") && !e.getMessage().contains(NODE), e.getMessage());
    }
}
