package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.cara.sdk.JsonFields.array;
import static dev.cara.sdk.JsonFields.instant;
import static dev.cara.sdk.JsonFields.integer;
import static dev.cara.sdk.JsonFields.object;
import static dev.cara.sdk.JsonFields.string;
import static dev.cara.sdk.JsonFields.stringMap;
import static dev.cara.sdk.JsonFields.wrongType;

/**
 * Reads projects out of JSON-P trees, as {@link WireReader} reads nodes: each field checked for its
 * JSON type (and an enum for its exact spelling), unknown fields ignored, an omitted list empty,
 * errors naming the field's path from the document's root. The rules that involve values (names,
 * images, that a mount names a declared volume) are {@link Project#validate()}'s. Stateless.
 */
final class ProjectReader {
    static final String SERVICE_RULE = "a service object with a name and an image";
    static final String ENV_RULE = "an environment variable object with a name and a value";
    static final String MOUNT_RULE = "a volume mount object with a name and a mountPath";
    static final String VOLUME_RULE = "a volume object with a name and a type";
    static final String INGRESS_RULE = "an ingress route object with a name, a host and a target";
    static final String TARGET_RULE = "an object naming a service and a port, for example {service: web, port: 80}";

    private ProjectReader() {
    }

    /**
     * A project manifest: type meta, metadata and spec; {@code status} is ignored entirely, even when
     * malformed, as it is the system's to write. A missing {@code apiVersion} or {@code kind} means
     * this API's, as for nodes; a wrong one is refused here, as the project keeps neither.
     */
    static Project manifest(JsonObject o) {
        String apiVersion = string(o, "apiVersion", "apiVersion");
        String kind = string(o, "kind", "kind");
        Project.checkTypeMeta(apiVersion == null ? Project.API_VERSION : apiVersion, kind == null ? Project.KIND : kind);
        ObjectMeta metadata = WireReader.metadata(o);
        JsonObject spec = object(o, "spec", "spec");
        return new Project(metadata, spec == null ? new ProjectSpec(null, null, null, null, null, null) : spec(spec),
                ProjectStatus.INITIAL);
    }

    /** A project as the API returns it: the manifest's fields and the status. */
    static Project project(JsonObject o) {
        Project project = manifest(o);
        JsonObject st = object(o, "status", "status");
        return st == null ? project : project.withStatus(status(st));
    }

    static ProjectList list(JsonObject o) {
        String apiVersion = string(o, "apiVersion", "apiVersion");
        if (apiVersion != null && !Project.API_VERSION.equals(apiVersion)) {
            throw new InvalidException("apiVersion", apiVersion, "\"" + Project.API_VERSION + "\"");
        }
        String kind = string(o, "kind", "kind");
        if (kind != null && !ProjectList.KIND.equals(kind)) {
            throw new InvalidException("kind", kind, "\"" + ProjectList.KIND + "\"");
        }
        return new ProjectList(listItems(o, "a Project object", ProjectReader::project));
    }

    /** The body of {@code PATCH .../status}: {@code {phase, reason, message}}, phase required. */
    static ProjectStatusReport statusReport(JsonObject o) {
        return new ProjectStatusReport(ProjectPhase.fromWire("phase", string(o, "phase", "phase")),
                string(o, "reason", "reason"), string(o, "message", "message"));
    }

    private static ProjectSpec spec(JsonObject s) {
        List<ServiceSpec> services = items(s, "services", "spec.services", SERVICE_RULE, ProjectReader::service);
        List<VolumeSpec> volumes = items(s, "volumes", "spec.volumes", VOLUME_RULE, (v, at) -> {
            String type = string(v, "type", at + ".type");
            return new VolumeSpec(string(v, "name", at + ".name"), type == null ? null : VolumeType.fromWire(at + ".type", type));
        });
        List<IngressSpec> ingress = items(s, "ingress", "spec.ingress", INGRESS_RULE, ProjectReader::ingress);
        JsonObject resources = object(s, "resources", "spec.resources");
        ResourceRequirements requests = resources == null ? ResourceRequirements.NONE
                : new ResourceRequirements(WireReader.resources(resources, "requests", "spec.resources.requests"));
        return new ProjectSpec(services, volumes, ingress, instant(s, "expireAt", "spec.expireAt"), requests,
                stringMap(s, "nodeSelector", "spec.nodeSelector"));
    }

    private static ServiceSpec service(JsonObject s, String at) {
        List<EnvVar> env = items(s, "env", at + ".env", ENV_RULE,
                (e, p) -> new EnvVar(string(e, "name", p + ".name"), string(e, "value", p + ".value")));
        List<VolumeMount> mounts = items(s, "volumeMounts", at + ".volumeMounts", MOUNT_RULE,
                (m, p) -> new VolumeMount(string(m, "name", p + ".name"), string(m, "mountPath", p + ".mountPath")));
        return new ServiceSpec(string(s, "name", at + ".name"), string(s, "image", at + ".image"), env, mounts);
    }

    private static IngressSpec ingress(JsonObject r, String at) {
        JsonObject t = object(r, "target", at + ".target");
        IngressSpec.Target target = null;
        if (t != null) {
            Integer port = integer(t, "port", at + ".target.port", 1, 65_535, WireReader.PORT_RULE);
            if (port == null) {
                throw new InvalidException(at + ".target.port", null, WireReader.PORT_RULE);
            }
            target = new IngressSpec.Target(string(t, "service", at + ".target.service"), port);
        }
        JsonObject a = object(r, "access", at + ".access");
        String scope = a == null ? null : string(a, "scope", at + ".access.scope");
        return new IngressSpec(string(r, "name", at + ".name"), string(r, "host", at + ".host"), target,
                new IngressSpec.Access(scope == null ? null : IngressSpec.Scope.fromWire(at + ".access.scope", scope)));
    }

    private static ProjectStatus status(JsonObject st) {
        String phase = string(st, "phase", "status.phase");
        List<Condition> conditions = WireReader.conditions(st, "status.conditions");
        return new ProjectStatus(phase == null ? ProjectPhase.PENDING : ProjectPhase.fromWire("status.phase", phase),
                string(st, "nodeRef", "status.nodeRef"), conditions);
    }

    /** The objects of an optional array, each read by {@code read} with its path {@code path[i]}. */
    /**
     * The {@code items} of a list document (nodes, projects, events), each read by the kind's own
     * reader, which knows nothing of lists: an error inside one item is placed under it, as
     * {@code items[3].metadata.name}.
     */
    static <T> List<T> listItems(JsonObject list, String rule, Function<JsonObject, T> read) {
        return items(list, "items", "items", rule, (item, at) -> {
            try {
                return read.apply(item);
            } catch (InvalidException e) {
                throw e.under(at);
            }
        });
    }

    static <T> List<T> items(JsonObject parent, String key, String path, String rule,
                                     BiFunction<JsonObject, String, T> read) {
        JsonArray a = array(parent, key, path);
        if (a == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String at = path + "[" + i + "]";
            JsonValue v = a.get(i);
            if (!(v instanceof JsonObject item)) {
                throw wrongType(at, v, rule);
            }
            out.add(read.apply(item, at));
        }
        return out;
    }
}
