package dev.cara.agent;

import dev.cara.agent.FakeDockerDaemon.Request;
import dev.cara.agent.spi.ProjectHealth;
import dev.cara.agent.spi.RuntimeUnavailableException;
import dev.cara.agent.spi.ServiceHealth;
import dev.cara.agent.spi.ServiceState;
import dev.cara.agent.spi.StartFailedException;
import dev.cara.sdk.testkit.JsonTrees;
import dev.cara.sdk.Project;
import dev.cara.sdk.ServiceSpec;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static dev.cara.agent.FakeDockerDaemon.chunked;
import static dev.cara.agent.FakeDockerDaemon.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerRuntimeTest {
    @TempDir
    Path dir;

    private static final Project WEB = Project.builder("shop").volume("data")
            .service(ServiceSpec.builder("web").image("nginx:alpine").env("MODE", "prod").env("EMPTY", "")
                    .volumeMount("data", "/srv/data").build())
            .build();

    private FakeDockerDaemon daemon(Function<Request, String> handler) throws Exception {
        return new FakeDockerDaemon(dir, handler);
    }

    @Test
    void startCreatesNetworkVolumeAndContainerWithEnvMountsAndLabelsThenStartsIt() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> r.target().contains("/start") ? json(204, "") : json(201, "{\"Id\":\"abc\"}"))) {
            DockerRuntime.on(d.socket).start(WEB);

            assertEquals(List.of("POST /v1.41/networks/create", "POST /v1.41/volumes/create",
                    "POST /v1.41/containers/create?name=cara-shop-web", "POST /v1.41/containers/cara-shop-web/start"),
                    d.requests.stream().map(Request::line).toList());
            JsonObject volume = JsonTrees.object(d.requests.get(1).body());
            assertEquals("cara-shop-data", volume.getString("Name"));
            assertEquals("shop", volume.getJsonObject("Labels").getString("dev.cara.project"));
            JsonObject c = JsonTrees.object(d.requests.get(2).body());
            assertEquals("nginx:alpine", c.getString("Image"));
            assertEquals("[\"MODE=prod\",\"EMPTY=\"]", c.getJsonArray("Env").toString());
            assertEquals("[\"cara-shop-data:/srv/data\"]", c.getJsonObject("HostConfig").getJsonArray("Binds").toString());
            assertEquals("cara-shop", c.getJsonObject("HostConfig").getString("NetworkMode"));
            assertEquals("{\"dev.cara.project\":\"shop\",\"dev.cara.service\":\"web\"}", c.getJsonObject("Labels").toString());
            assertEquals("[\"web\"]", c.getJsonObject("NetworkingConfig").getJsonObject("EndpointsConfig")
                    .getJsonObject("cara-shop").getJsonArray("Aliases").toString());
        }
    }

    @Test
    void missingImageIsPulledAndTheCreateTriedAgain() throws Exception {
        int[] creates = {0};
        try (FakeDockerDaemon d = daemon(r -> {
            if (r.target().startsWith("/v1.41/containers/create")) {
                return creates[0]++ == 0 ? json(404, "{\"message\":\"No such image: nginx:alpine\"}") : json(201, "{\"Id\":\"abc\"}");
            }
            if (r.target().startsWith("/v1.41/images/create")) {
                return chunked(200, "{\"status\":\"Pulling\"}\r\n", "{\"status\":\"Done\"}\r\n");
            }
            return r.target().contains("/start") ? json(204, "") : json(201, "{}");
        })) {
            DockerRuntime.on(d.socket).start(WEB);

            assertTrue(d.requests.stream().anyMatch(r -> r.target().equals("/v1.41/images/create?fromImage=nginx%3Aalpine")),
                    d.requests.toString());
            assertEquals(2, creates[0]);
        }
    }

    @Test
    void pullThatFailsPartWayIsStartFailedNamingServiceAndImage() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> r.target().startsWith("/v1.41/containers/create")
                ? json(404, "{\"message\":\"No such image\"}")
                : r.target().startsWith("/v1.41/images/create")
                ? chunked(200, "{\"status\":\"Pulling\"}\n{\"errorDetail\":{},\"error\":\"manifest unknown\"}\n")
                : json(201, "{}"))) {
            StartFailedException e = assertThrows(StartFailedException.class, () -> DockerRuntime.on(d.socket).start(WEB));

            assertEquals("ImagePullFailed", e.reason());
            assertEquals("web", e.service());
            assertTrue(e.getMessage().contains("\"nginx:alpine\"") && e.getMessage().contains("manifest unknown"), e.getMessage());
        }
    }

    @Test
    void containerNameTakenByAnotherProjectIsNameConflictNotAdopted() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> r.target().startsWith("/v1.41/containers/create")
                ? json(409, "{\"message\":\"Conflict. The container name is already in use\"}")
                : r.method().equals("GET")
                ? json(200, "{\"Config\":{\"Labels\":{\"dev.cara.project\":\"shop-web\"}}}")
                : json(201, "{}"))) {
            StartFailedException e = assertThrows(StartFailedException.class, () -> DockerRuntime.on(d.socket).start(WEB));

            assertEquals("NameConflict", e.reason());
            assertTrue(e.getMessage().contains("cara-shop-web"), e.getMessage());
        }
    }

    @Test
    void startRefusedByDockerNamesTheServiceAndDockersMessage() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> r.target().contains("/start")
                ? json(500, "{\"message\":\"driver failed: port is already allocated\"}") : json(201, "{}"))) {
            StartFailedException e = assertThrows(StartFailedException.class, () -> DockerRuntime.on(d.socket).start(WEB));

            assertEquals("StartFailed", e.reason());
            assertTrue(e.getMessage().contains("port is already allocated") && e.getMessage().contains("\"web\""), e.getMessage());
        }
    }

    @Test
    void healthReadsStatesAndInspectsExitedContainersForTheExitCode() throws Exception {
        String list = "[{\"Id\":\"1\",\"State\":\"running\",\"Labels\":{\"dev.cara.project\":\"shop\",\"dev.cara.service\":\"web\"}},"
                + "{\"Id\":\"2\",\"State\":\"exited\",\"Status\":\"Exited (3) 1 second ago\","
                + "\"Labels\":{\"dev.cara.project\":\"shop\",\"dev.cara.service\":\"db\"}},"
                + "{\"Id\":\"3\",\"State\":\"created\",\"Labels\":{\"dev.cara.project\":\"shop\",\"dev.cara.service\":\"cache\"}}]";
        try (FakeDockerDaemon d = daemon(r -> r.target().startsWith("/v1.41/containers/json")
                ? json(200, list)
                : json(200, "{\"State\":{\"ExitCode\":3,\"OOMKilled\":false,\"Error\":\"\"}}"))) {
            ProjectHealth h = DockerRuntime.on(d.socket).health("shop").orElseThrow();

            assertEquals(ServiceHealth.running("web"), h.service("web").orElseThrow());
            assertEquals(ServiceState.STARTING, h.service("cache").orElseThrow().state());
            ServiceHealth db = h.service("db").orElseThrow();
            assertEquals("Exited", db.reason());
            assertTrue(db.message().contains("exited with code 3"), db.message());
            String filter = URLDecoder.decode(d.requests.getFirst().target(), StandardCharsets.UTF_8);
            assertTrue(filter.endsWith("all=true&filters={\"label\":[\"dev.cara.project=shop\"]}"), filter);
            assertEquals("GET /v1.41/containers/2/json", d.requests.get(1).line());
        }
    }

    @Test
    void tearDownRemovesContainersVolumesAndNetworkAndToleratesWhatIsGone() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> switch (r.method() + " " + r.target().replaceAll("\\?.*", "")) {
            case "GET /v1.41/containers/json" -> json(200, "[{\"Id\":\"c1\"}]");
            case "GET /v1.41/volumes" -> json(200, "{\"Volumes\":[{\"Name\":\"cara-shop-data\"}]}");
            case "GET /v1.41/networks" -> json(200, "[{\"Id\":\"n1\"}]");
            case "DELETE /v1.41/containers/c1" -> json(404, "{\"message\":\"gone\"}");
            default -> json(204, "");
        })) {
            DockerRuntime.on(d.socket).tearDown("shop");

            assertEquals(List.of("DELETE /v1.41/containers/c1?force=true&v=true", "DELETE /v1.41/volumes/cara-shop-data",
                    "DELETE /v1.41/networks/n1"), d.requests.stream().filter(r -> r.method().equals("DELETE"))
                    .map(Request::line).toList());
        }
    }

    @Test
    void listGroupsByProjectAndFindsVolumesLeftWithoutContainers() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> switch (r.method() + " " + r.target().replaceAll("\\?.*", "")) {
            case "GET /v1.41/containers/json" -> json(200,
                    "[{\"Id\":\"1\",\"State\":\"running\",\"Labels\":{\"dev.cara.project\":\"b\",\"dev.cara.service\":\"web\"}}]");
            case "GET /v1.41/volumes" -> json(200, "{\"Volumes\":[{\"Name\":\"cara-a-x\",\"Labels\":{\"dev.cara.project\":\"a\"}}]}");
            default -> json(200, "[]");
        })) {
            List<ProjectHealth> all = DockerRuntime.on(d.socket).list();

            assertEquals(List.of("a", "b"), all.stream().map(ProjectHealth::project).toList());
            assertTrue(all.getFirst().services().isEmpty());
        }
    }

    @Test
    void missingSocketIsRuntimeUnavailableNamingThePath() {
        Path socket = dir.resolve("nothing.sock");
        DockerRuntime runtime = DockerRuntime.on(socket);

        RuntimeUnavailableException e = assertThrows(RuntimeUnavailableException.class, runtime::list);

        assertTrue(e.getMessage().contains(socket.toString()) && e.getMessage().contains("is Docker running"), e.getMessage());
        assertFalse(runtime.ping());
    }

    @Test
    void answerThatIsNotHttpIsRuntimeUnavailable() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> "SSH-2.0-OpenSSH\r\n\r\n")) {
            RuntimeUnavailableException e = assertThrows(RuntimeUnavailableException.class,
                    () -> DockerRuntime.on(d.socket).list());
            assertTrue(e.getMessage().contains("not HTTP/1.1"), e.getMessage());
        }
    }

    @Test
    void answerOfAnUnexpectedShapeIsRuntimeUnavailableNotACrash() throws Exception {
        try (FakeDockerDaemon d = daemon(r -> json(200, "[{\"Labels\":{\"dev.cara.project\":\"shop\"}}]"))) {
            RuntimeUnavailableException e = assertThrows(RuntimeUnavailableException.class,
                    () -> DockerRuntime.on(d.socket).tearDown("shop"));
            assertTrue(e.getMessage().contains("tearDown"), e.getMessage());
        }
    }
}
