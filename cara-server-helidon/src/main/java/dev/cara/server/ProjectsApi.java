package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.Identity;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Names;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectControl;
import dev.cara.sdk.ProjectDeleteOutcome;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectList;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.Resource;
import dev.cara.sdk.Role;
import dev.cara.sdk.Verb;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The project API v1 over {@link ControlPlane#projects()}: {@code /api/v1/projects} (list with
 * {@code ?phase=} repeated and ORed, {@code ?nodeRef=}, {@code ?labelSelector=}, {@code ?watch=true};
 * create), {@code /api/v1/projects/{name}} (get, put with compare-and-set, delete with
 * {@code ?force=true}) and {@code /api/v1/projects/{name}/status} (an agent's PATCH). Each handler is
 * one {@link ProjectControl} call; its exceptions become problem JSON in {@link HttpProblems}.
 *
 * <p>A node credential's rights on one project depend on the node the project is bound to, which
 * only the store knows: those routes read the project and then ask {@link Security#authorizeNow}.
 * Handlers hold no state of their own.
 */
record ProjectsApi(ControlPlane controlPlane, WatchStreams watches) {
    static final String PROJECTS = "/api/v1/projects";
    static final String STATUS = "/status";

    void register(HttpRouting.Builder routing) {
        NodesApi.collection(routing, PROJECTS, this::listOrWatch, this::create, this::project);
    }

    private ProjectControl projects() {
        return controlPlane.projects();
    }

    // ------------------------------------------------------------------ /api/v1/projects

    private void listOrWatch(ServerRequest req, ServerResponse res) {
        ProjectFilter filter = filter(req.prologue().query().rawValue());
        if (NodesApi.isWatch(req)) {
            if (Responses.isHead(req)) {
                watches.head(res);
                return;
            }
            watches.streamProjects(filter, req, res);
            return;
        }
        NodesApi.sendJson(req, res, Status.OK_200, CaraJson.toJson(ProjectList.of(projects().list(filter))));
    }

    /** {@code ?phase=A&phase=B&nodeRef=N&labelSelector=S}: phases ORed, the parts ANDed; each bad value a 400 naming it. */
    static ProjectFilter filter(String rawQuery) {
        Set<ProjectPhase> phases = QueryParams.all(rawQuery, "phase").stream()
                .map(p -> ProjectPhase.fromWire("phase", p))
                .collect(Collectors.toSet());
        String nodeRef = QueryParams.first(rawQuery, "nodeRef").filter(n -> !n.isEmpty())
                .map(n -> Names.requireNodeName("nodeRef", n)).orElse(null);
        LabelSelector selector = LabelSelector.parse(QueryParams.first(rawQuery, "labelSelector").orElse(null));
        return new ProjectFilter(phases, nodeRef, selector);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Project created = projects().create(CaraJson.parseProjectManifest(Bodies.read(req, false).utf8Bytes()));
        res.header(HeaderNames.LOCATION, PROJECTS + "/" + created.name());
        NodesApi.sendJson(req, res, Status.CREATED_201, CaraJson.toJson(created));
    }

    // ------------------------------------------------------------------ /api/v1/projects/{name}[/status]

    private void project(ServerRequest req, ServerResponse res) {
        String raw = req.prologue().uriPath().rawPath();
        String rest = raw.substring(raw.indexOf(PROJECTS) + PROJECTS.length() + 1);
        int slash = rest.indexOf('/');
        Method m = req.prologue().method();
        if (slash < 0 && !rest.isEmpty()) {
            String name = NodesApi.name(rest);
            if (m == Method.GET || m == Method.HEAD) {
                Project p = projects().get(name);
                Security.authorizeNow(req, Verb.GET, Resource.project(name, p.status().nodeRef()));
                NodesApi.sendJson(req, res, Status.OK_200, CaraJson.toJson(p));
            } else if (m == Method.PUT) {
                update(req, res, name);
            } else if (m == Method.DELETE) {
                delete(req, res, name);
            } else {
                NodesApi.notAllowed(req, res, "GET, HEAD, PUT, DELETE");
            }
        } else if (slash > 0 && rest.length() == slash + STATUS.length() && rest.endsWith(STATUS)) {
            if (m == Method.PATCH) {
                report(req, res, NodesApi.name(rest.substring(0, slash)));
            } else {
                NodesApi.notAllowed(req, res, "PATCH");
            }
        } else {
            HttpProblems.send(req, res, 404, "no such endpoint: " + raw + "; projects are at " + PROJECTS + "/{name} and "
                    + PROJECTS + "/{name}" + STATUS, raw);
        }
    }

    private void update(ServerRequest req, ServerResponse res, String name) {
        Project manifest = CaraJson.parseProjectManifest(Bodies.read(req, false).utf8Bytes());
        if (!manifest.name().equals(name)) {
            throw new InvalidException("metadata.name", manifest.name(),
                    "the name in the path (\"" + name + "\"); a project cannot be renamed");
        }
        NodesApi.sendJson(req, res, Status.OK_200, CaraJson.toJson(projects().update(manifest)));
    }

    private void delete(ServerRequest req, ServerResponse res, String name) {
        boolean force = QueryParams.flag(req.prologue().query().rawValue(), "force");
        switch (projects().delete(name, force)) {
            case ProjectDeleteOutcome.Removed r -> res.status(Status.NO_CONTENT_204).send();
            case ProjectDeleteOutcome.Terminating t -> NodesApi.sendJson(req, res, Status.ACCEPTED_202, CaraJson.toJson(t.project()));
        }
    }

    /**
     * An agent's report. A node credential speaks for its own node, and only about a project bound to
     * it (403 otherwise, naming both nodes); anyone else (an admin, the open mode) reports on behalf of
     * the node the project is bound to now.
     */
    private void report(ServerRequest req, ServerResponse res, String name) {
        ProjectStatusReport report = CaraJson.parseProjectStatusReport(Bodies.read(req, false).utf8Bytes());
        Optional<Identity> who = req.context().get(Identity.class, Identity.class).filter(i -> i.role() == Role.NODE);
        Project reported;
        if (who.isPresent()) {
            Security.authorizeNow(req, Verb.REPORT, Resource.project(name, projects().get(name).status().nodeRef()));
            reported = projects().reportStatus(name, who.get().node(), report);
        } else {
            reported = projects().reportStatusForItsNode(name, report);
        }
        NodesApi.sendJson(req, res, Status.OK_200, CaraJson.toJson(reported));
    }
}
