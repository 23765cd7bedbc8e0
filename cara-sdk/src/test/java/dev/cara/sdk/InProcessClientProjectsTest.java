package dev.cara.sdk;

import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The in-process client's project calls are the control plane's, as its node calls are. */
class InProcessClientProjectsTest {
    private final FakeTime time = new FakeTime();
    private final ControlPlane cp = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time)
            .heartbeatTimeout(Duration.ofSeconds(90)).manualTicks(true).build().start();
    private final CaraClient client = CaraClient.inProcess(cp);

    @AfterEach
    void close() {
        client.close();
        cp.close();
    }

    @Test
    void projectCallsReachTheControlPlane() {
        Project created = client.createProject(Project.builder("web").service("web", "nginx:alpine").build());
        assertEquals(ProjectPhase.PENDING, created.phase());
        assertEquals(created, client.getProject("web"));
        assertEquals(List.of("web"), client.listProjects().items().stream().map(Project::name).toList());
        assertEquals(cp.projects().get("web"), client.getProject("web"));
        assertInstanceOf(ProjectDeleteOutcome.Removed.class, client.deleteProject("web", false), "a Pending project goes at once");
        assertThrows(NotFoundException.class, () -> client.getProject("web"));
    }
}
