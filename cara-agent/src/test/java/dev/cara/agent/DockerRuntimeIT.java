package dev.cara.agent;

import dev.cara.agent.spi.ProjectHealth;
import dev.cara.agent.spi.StartFailedException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * DockerRuntime against a real Docker daemon: start, health, list, tear down. Runs only when a daemon
 * answers on the socket ({@code -Dcara.docker.socket=PATH}, default /var/run/docker.sock); pulls
 * {@code -Dcara.docker.image} (default nginx:alpine), so the daemon needs to reach a registry or
 * have that image.
 */
class DockerRuntimeIT {
    private static final Path SOCKET = Path.of(System.getProperty("cara.docker.socket", DockerRuntime.DEFAULT_SOCKET));
    private static final String IMAGE = System.getProperty("cara.docker.image", "nginx:alpine");
    private static final String SKIPPED = "skipped: no Docker daemon answers on " + SOCKET + ". To run"
            + " DockerRuntimeIT, start Docker (or pass -Dcara.docker.socket=PATH) and run: ./mvnw verify -pl cara-agent -am"
            + " -Dit.test=DockerRuntimeIT -Dfailsafe.failIfNoSpecifiedTests=false";
    private static DockerRuntime runtime;
    private static boolean available;

    @BeforeAll
    static void probe() {
        runtime = DockerRuntime.on(SOCKET);
        available = runtime.ping();
        if (!available) {
            System.out.println("DockerRuntimeIT " + SKIPPED); // in the build log too, not only in the report
        }
    }

    // Per test, so that each is reported skipped with the reason (an assumption in @BeforeAll reports none).
    @BeforeEach
    void needsDocker() {
        assumeTrue(available, SKIPPED);
    }

    @AfterEach
    void cleanUp() {
        if (available) {
            runtime.tearDown("cara-it");
            runtime.tearDown("cara-it-bad");
        }
    }

    @Test
    void startsAProjectReportsItRunningAndTearsItDown() {
        Project p = Project.builder("cara-it").volume("data")
                .service(ServiceSpec.builder("web").image(IMAGE).env("MODE", "it").volumeMount("data", "/data").build())
                .build();

        runtime.start(p);
        runtime.start(p); // idempotent

        Eventually.await(Duration.ofMinutes(3), "cara-it's web service running",
                () -> runtime.health("cara-it").map(h -> h.allRunning(List.of("web"))).orElse(false));
        assertTrue(runtime.list().stream().map(ProjectHealth::project).anyMatch("cara-it"::equals));
        runtime.tearDown("cara-it");
        runtime.tearDown("cara-it");
        assertEquals(Optional.empty(), runtime.health("cara-it"));
        assertTrue(runtime.list().stream().map(ProjectHealth::project).noneMatch("cara-it"::equals));
    }

    @Test
    void imageThatDoesNotExistFailsToStartNamingIt() {
        Project p = Project.builder("cara-it-bad").service("web", "cara.invalid/no-such-image:never").build();

        StartFailedException e = assertThrows(StartFailedException.class, () -> runtime.start(p));

        assertTrue(e.getMessage().contains("no-such-image"), e.getMessage());
    }
}
