package dev.cara.agent;

import dev.cara.agent.UnixSocketHttp.Response;
import dev.cara.agent.spi.ProjectHealth;
import dev.cara.agent.spi.ProjectRuntime;
import dev.cara.agent.spi.ProjectRuntimeException;
import dev.cara.agent.spi.RuntimeUnavailableException;
import dev.cara.agent.spi.ServiceHealth;
import dev.cara.agent.spi.StartFailedException;
import dev.cara.sdk.EnvVar;
import dev.cara.sdk.Project;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.VolumeMount;
import dev.cara.sdk.VolumeSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link ProjectRuntime} on the Docker Engine API, over its unix socket
 * ({@value #DEFAULT_SOCKET} unless configured). Each project gets a network {@code cara-<project>}
 * on which every service answers to its own name, a volume {@code cara-<project>-<volume>} per
 * ephemeral volume, and a container {@code cara-<project>-<service>} per service with its
 * environment and mounts; all carry the labels {@value ProjectRuntime#PROJECT_LABEL} (and
 * {@value ProjectRuntime#SERVICE_LABEL} on containers), which is how {@link #list()},
 * {@link #health} and {@link #tearDown} find them again, also after the agent restarted.
 *
 * <p>A missing image is pulled once, then the create is tried again. A container name that is taken
 * by a container without this project's labels is refused ({@code NameConflict}) rather than adopted:
 * {@code cara-a-b-c} could be project {@code a-b}'s service {@code c} or project {@code a}'s service
 * {@code b-c}.
 *
 * <p>Thread-safe: it keeps no state of its own; Docker is the state.
 */
public final class DockerRuntime implements ProjectRuntime {
    public static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    // Engine API 1.41 (Docker 20.10): old enough for every daemon in use, new enough for label filters.
    private static final String API = "/v1.41";

    private final UnixSocketHttp http;
    private final Duration timeout;
    private final Duration pullTimeout;

    private DockerRuntime(Path socket, Duration timeout, Duration pullTimeout) {
        this.http = new UnixSocketHttp(socket);
        this.timeout = timeout;
        this.pullTimeout = pullTimeout;
    }

    /** A runtime on {@code socket} with a 30 s deadline per call and 10 min per image pull. */
    public static DockerRuntime on(Path socket) {
        return on(socket, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    public static DockerRuntime on(Path socket, Duration timeout, Duration pullTimeout) {
        Objects.requireNonNull(socket, "socket");
        if (timeout.isNegative() || timeout.isZero() || pullTimeout.isNegative() || pullTimeout.isZero()) {
            throw new IllegalArgumentException("Docker timeouts must be positive, not " + timeout + " and " + pullTimeout);
        }
        return new DockerRuntime(socket, timeout, pullTimeout);
    }

    @Override
    public String name() {
        return "docker";
    }

    /** Whether a Docker daemon answers {@code GET /_ping} on the socket. Never throws. */
    public boolean ping() {
        try {
            return http.send("GET", "/_ping", null, timeout).status() == 200;
        } catch (RuntimeUnavailableException e) {
            return false;
        }
    }

    @Override
    public void start(Project project) {
        guarded("start", () -> startProject(project));
    }

    private void startProject(Project project) {
        String p = project.name();
        String network = networkName(p);
        Response net = call("POST", "/networks/create", Json.createObjectBuilder().add("Name", network)
                .add("CheckDuplicate", true).add("Labels", labels(p, null)).build());
        if (net.status() != 201 && net.status() != 409) {
            throw new StartFailedException(p, null, "NetworkFailed", "could not create network \"" + network
                    + "\" of project \"" + p + "\": " + error(net));
        }
        for (VolumeSpec v : project.spec().volumes()) {
            String volume = ProjectRuntime.volumeName(p, v.name());
            Response r = call("POST", "/volumes/create", Json.createObjectBuilder().add("Name", volume)
                    .add("Labels", labels(p, null)).build());
            if (r.status() != 201) {
                throw new StartFailedException(p, null, "VolumeFailed", "could not create volume \"" + volume
                        + "\" of project \"" + p + "\": " + error(r));
            }
        }
        for (ServiceSpec s : project.spec().services()) {
            String container = ProjectRuntime.containerName(p, s.name());
            create(p, s, container, true);
            Response r = call("POST", "/containers/" + container + "/start", null);
            if (r.status() != 204 && r.status() != 304) {
                throw new StartFailedException(p, s.name(), "StartFailed", "service \"" + s.name() + "\" of project \""
                        + p + "\" (container " + container + ") did not start: " + error(r));
            }
        }
    }

    private void create(String p, ServiceSpec s, String container, boolean pullIfMissing) {
        Response r = call("POST", "/containers/create?name=" + container, containerBody(p, s));
        switch (r.status()) {
            case 201 -> { }
            case 404 -> {
                if (!pullIfMissing) {
                    throw new StartFailedException(p, s.name(), "ImageNotFound", "service \"" + s.name() + "\" of project \""
                            + p + "\": image \"" + s.image() + "\" is not there after pulling it: " + error(r));
                }
                pull(p, s);
                create(p, s, container, false);
            }
            case 409 -> checkOurs(p, s.name(), container);
            default -> throw new StartFailedException(p, s.name(), "CreateFailed", "could not create container "
                    + container + " for service \"" + s.name() + "\" of project \"" + p + "\": " + error(r));
        }
    }

    private void pull(String p, ServiceSpec s) {
        Response r = http.send("POST", API + "/images/create?fromImage=" + URLEncoder.encode(s.image(), StandardCharsets.UTF_8),
                null, pullTimeout);
        // A pull answers 200 and streams progress; a failure part-way is an {"error": ...} line in it.
        String failure = r.status() == 200 ? streamError(r.text()) : error(r);
        if (failure != null) {
            throw new StartFailedException(p, s.name(), "ImagePullFailed", "service \"" + s.name() + "\" of project \""
                    + p + "\": could not pull image \"" + s.image() + "\": " + failure);
        }
    }

    // A container of that name exists: fine if it is this very service's (a retry or an adopted project).
    private void checkOurs(String p, String service, String container) {
        Response r = call("GET", "/containers/" + container + "/json", null);
        JsonObject labels = r.status() == 200 ? object(r, "inspect").getJsonObject("Config").getJsonObject("Labels") : null;
        if (labels == null || !p.equals(labels.getString(PROJECT_LABEL, null))
                || !service.equals(labels.getString(SERVICE_LABEL, null))) {
            throw new StartFailedException(p, service, "NameConflict", "container name " + container
                    + " is taken by a container that is not service \"" + service + "\" of project \"" + p
                    + "\"; remove or rename that container");
        }
    }

    static JsonObject containerBody(String p, ServiceSpec s) {
        JsonArrayBuilder env = Json.createArrayBuilder();
        for (EnvVar e : s.env()) {
            env.add(e.name() + "=" + e.value());
        }
        JsonArrayBuilder binds = Json.createArrayBuilder();
        for (VolumeMount m : s.volumeMounts()) {
            binds.add(ProjectRuntime.volumeName(p, m.name()) + ":" + m.mountPath());
        }
        String network = networkName(p);
        return Json.createObjectBuilder()
                .add("Image", s.image())
                .add("Hostname", s.name())
                .add("Env", env)
                .add("Labels", labels(p, s.name()))
                .add("HostConfig", Json.createObjectBuilder().add("Binds", binds).add("NetworkMode", network))
                .add("NetworkingConfig", Json.createObjectBuilder().add("EndpointsConfig", Json.createObjectBuilder()
                        .add(network, Json.createObjectBuilder().add("Aliases", Json.createArrayBuilder().add(s.name())))))
                .build();
    }

    @Override
    public Optional<ProjectHealth> health(String project) {
        return guarded("health", () -> healthOf(project));
    }

    private Optional<ProjectHealth> healthOf(String project) {
        List<ProjectHealth> found = projects(PROJECT_LABEL + "=" + project, false);
        return found.stream().filter(h -> h.project().equals(project)).findFirst();
    }

    @Override
    public List<ProjectHealth> list() {
        return guarded("list", () -> projects(PROJECT_LABEL, true));
    }

    // An answer of an unexpected shape (a field missing or of another type) is the daemon's fault, not
    // the project's: it becomes RuntimeUnavailable, so the reconciler retries instead of dying.
    private static void guarded(String what, Runnable call) {
        guarded(what, () -> {
            call.run();
            return null;
        });
    }

    private static <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (NullPointerException | ClassCastException e) {
            throw new RuntimeUnavailableException("the Docker daemon's answers during " + what
                    + " are not what Engine API 1.41 describes: " + e, e);
        }
    }

    // The projects whose containers (and, with parts, volumes and networks) match the label filter.
    private List<ProjectHealth> projects(String labelFilter, boolean parts) {
        Map<String, List<ServiceHealth>> byProject = new TreeMap<>();
        for (JsonValue v : array(call("GET", "/containers/json?all=true&filters=" + filter(labelFilter), null), "container list")) {
            JsonObject c = v.asJsonObject();
            JsonObject labels = c.getJsonObject("Labels");
            String project = labels == null ? null : labels.getString(PROJECT_LABEL, null);
            String service = labels == null ? null : labels.getString(SERVICE_LABEL, null);
            if (project != null && service != null) {
                byProject.computeIfAbsent(project, k -> new ArrayList<>()).add(serviceHealth(project, service, c));
            }
        }
        if (parts) {
            // Volumes and networks left without containers (a start that failed half-way) are found too.
            JsonValue volumes = object(call("GET", "/volumes?filters=" + filter(labelFilter), null), "volume list").get("Volumes");
            if (volumes instanceof JsonArray list) {
                list.forEach(v -> partOf(v, byProject));
            }
            array(call("GET", "/networks?filters=" + filter(labelFilter), null), "network list").forEach(n -> partOf(n, byProject));
        }
        List<ProjectHealth> out = new ArrayList<>(byProject.size());
        byProject.forEach((p, services) -> out.add(new ProjectHealth(p, services)));
        return out;
    }

    private static void partOf(JsonValue v, Map<String, List<ServiceHealth>> byProject) {
        JsonValue labels = v.asJsonObject().get("Labels");
        if (labels instanceof JsonObject l && l.get(PROJECT_LABEL) instanceof JsonString project) {
            byProject.computeIfAbsent(project.getString(), k -> new ArrayList<>());
        }
    }

    private ServiceHealth serviceHealth(String project, String service, JsonObject listed) {
        String state = listed.getString("State", "");
        return switch (state) {
            case "running" -> ServiceHealth.running(service);
            case "created", "restarting" -> ServiceHealth.starting(service);
            default -> exited(project, service, listed.getString("Id", ProjectRuntime.containerName(project, service)),
                    state, listed.getString("Status", state));
        };
    }

    // Exit code, out-of-memory kill and Docker's own error come from inspecting the container.
    private ServiceHealth exited(String project, String service, String id, String state, String status) {
        Response r = call("GET", "/containers/" + id + "/json", null);
        JsonObject s = r.status() == 200 ? object(r, "inspect").getJsonObject("State") : null;
        String what = "service \"" + service + "\" of project \"" + project + "\"";
        if (s == null) {
            return ServiceHealth.failed(service, "Exited", what + " is " + state + " (" + status + ")");
        }
        if (s.getBoolean("OOMKilled", false)) {
            return ServiceHealth.failed(service, "OOMKilled", what + " was killed: out of memory");
        }
        String error = s.getString("Error", "");
        String reason = switch (state) {
            case "paused" -> "Paused";
            case "dead" -> "Dead";
            case "removing" -> "Removing";
            default -> "Exited";
        };
        return ServiceHealth.failed(service, reason, what + " " + (reason.equals("Exited")
                ? "exited with code " + s.getInt("ExitCode", -1) : "is " + state) + (error.isEmpty() ? "" : ": " + error));
    }

    @Override
    public void tearDown(String project) {
        guarded("tearDown", () -> tearDownProject(project));
    }

    private void tearDownProject(String project) {
        String f = filter(PROJECT_LABEL + "=" + project);
        for (JsonValue c : array(call("GET", "/containers/json?all=true&filters=" + f, null), "container list")) {
            remove(project, "container", "/containers/" + c.asJsonObject().getString("Id") + "?force=true&v=true");
        }
        JsonValue volumes = object(call("GET", "/volumes?filters=" + f, null), "volume list").get("Volumes");
        if (volumes instanceof JsonArray list) {
            for (JsonValue v : list) {
                remove(project, "volume", "/volumes/" + v.asJsonObject().getString("Name"));
            }
        }
        for (JsonValue n : array(call("GET", "/networks?filters=" + f, null), "network list")) {
            remove(project, "network", "/networks/" + n.asJsonObject().getString("Id"));
        }
    }

    private void remove(String project, String what, String target) {
        Response r = call("DELETE", target, null);
        if (r.status() != 204 && r.status() != 200 && r.status() != 404) {
            throw new ProjectRuntimeException(project, "TearDownFailed", "could not remove " + what + " " + target
                    + " of project \"" + project + "\": " + error(r));
        }
    }

    private Response call(String method, String target, JsonObject body) {
        Response r = http.send(method, API + target, body == null ? null : body.toString(), timeout);
        // 500 is also Docker's answer to a bad container setting (a port taken): the callers word those.
        if (r.status() > 500) {
            throw new RuntimeUnavailableException("the Docker daemon on " + http.socket() + " answered " + r.status()
                    + " to " + method + " " + target + ": " + error(r));
        }
        return r;
    }

    private static JsonObject labels(String project, String service) {
        var b = Json.createObjectBuilder().add(PROJECT_LABEL, project);
        return (service == null ? b : b.add(SERVICE_LABEL, service)).build();
    }

    static String networkName(String project) {
        return "cara-" + project;
    }

    private static String filter(String label) {
        return URLEncoder.encode(Json.createObjectBuilder().add("label", Json.createArrayBuilder().add(label)).build()
                .toString(), StandardCharsets.UTF_8);
    }

    // Docker's errors are {"message": "..."}; anything else is quoted as it came.
    static String error(Response r) {
        try {
            JsonStructure s = Json.createReader(new StringReader(r.text())).read();
            if (s instanceof JsonObject o && o.get("message") instanceof JsonString m) {
                return m.getString() + " (HTTP " + r.status() + ")";
            }
        } catch (JsonException e) {
            // not JSON: fall through and quote it
        }
        String text = r.text().strip();
        return "HTTP " + r.status() + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }

    // The first {"error": ...} of a pull's progress stream, or null.
    static String streamError(String stream) {
        for (String line : stream.split("\r?\n")) {
            if (line.contains("\"error\"")) {
                try {
                    JsonObject o = Json.createReader(new StringReader(line)).readObject();
                    if (o.get("error") instanceof JsonString e) {
                        return e.getString();
                    }
                } catch (JsonException e) {
                    return line.strip();
                }
            }
        }
        return null;
    }

    private JsonArray array(Response r, String what) {
        return read(r, what, "array", JsonReader::readArray);
    }

    private JsonObject object(Response r, String what) {
        return read(r, what, "object", JsonReader::readObject);
    }

    private static <T> T read(Response r, String what, String kind, Function<JsonReader, T> parse) {
        if (r.status() != 200) {
            throw new RuntimeUnavailableException("the Docker daemon refused the " + what + ": " + error(r));
        }
        try (JsonReader reader = Json.createReader(new StringReader(r.text()))) {
            return parse.apply(reader);
        } catch (JsonException e) {
            throw new RuntimeUnavailableException("the Docker daemon's " + what + " is not a JSON " + kind + ": "
                    + e.getMessage(), e);
        }
    }
}
