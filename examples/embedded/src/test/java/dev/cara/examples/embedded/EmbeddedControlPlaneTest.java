package dev.cara.examples.embedded;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs the example as a user would and checks what it prints. */
class EmbeddedControlPlaneTest {
    @Test
    void theSilentNodeTurnsNotReadyAndTheSchedulerAvoidsIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EmbeddedControlPlane.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                registered: web-1=NotReady web-2=NotReady
                both heartbeat: web-1=Ready web-2=Ready
                91 s later: web-1=Ready web-2=NotReady(NoHeartbeat)
                scheduler picks: web-1
                """, bytes.toString(StandardCharsets.UTF_8));
    }
}
