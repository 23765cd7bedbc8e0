package dev.cara.store.jdbc;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.EnvVar;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.ResourceRequirements;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.VolumeMount;
import dev.cara.sdk.VolumeSpec;
import dev.cara.sdk.VolumeType;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns projects into the two JSON columns of {@code cara_project} and back: {@code meta_json}
 * (metadata without the resourceVersion, whose column is the truth, and spec) and
 * {@code status_json}, so that a status write encodes only the second.
 *
 * <p><b>Interim.</b> The projects' JSON wire format is being written elsewhere (CaraJson); until it
 * lands, this store-private encoding through JSON-P stands in. It is read only by this class, so
 * switching to the wire codec later needs no migration beyond reading both: enums are stored by
 * their Java names, times as ISO-8601 instants, quantities in their canonical form, absent values
 * left out. Stateless; any thread.
 */
final class ProjectCodec {
    private ProjectCodec() {
    }

    static String metaJson(Project p) {
        ObjectMeta m = p.metadata();
        JsonObjectBuilder meta = Json.createObjectBuilder().add("name", m.name())
                .add("labels", strings(m.labels())).add("annotations", strings(m.annotations()));
        putInstant(meta, "createdAt", m.createdAt());
        putInstant(meta, "updatedAt", m.updatedAt());
        ProjectSpec s = p.spec();
        JsonObjectBuilder spec = Json.createObjectBuilder()
                .add("services", array(s.services(), ProjectCodec::service))
                .add("volumes", array(s.volumes(), v -> Json.createObjectBuilder().add("name", v.name()).add("type", v.type().name())))
                .add("ingress", array(s.ingress(), ProjectCodec::route))
                .add("requests", strings(amounts(s.resources().requests())))
                .add("nodeSelector", strings(s.nodeSelector()));
        putInstant(spec, "expireAt", s.expireAt());
        return Json.createObjectBuilder().add("metadata", meta).add("spec", spec).build().toString();
    }

    static String statusJson(ProjectStatus s) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("phase", s.phase().name());
        if (s.nodeRef() != null) {
            b.add("nodeRef", s.nodeRef());
        }
        b.add("conditions", array(s.conditions(), c -> {
            JsonObjectBuilder o = Json.createObjectBuilder().add("type", c.type()).add("status", c.status().name());
            putString(o, "reason", c.reason());
            putString(o, "message", c.message());
            putInstant(o, "lastHeartbeatTime", c.lastHeartbeatTime());
            putInstant(o, "lastTransitionTime", c.lastTransitionTime());
            return o;
        }));
        return b.build().toString();
    }

    static Project decode(String metaJson, String statusJson, long resourceVersion) {
        JsonObject root = parse(metaJson);
        JsonObject m = root.getJsonObject("metadata");
        ObjectMeta meta = new ObjectMeta(m.getString("name"), stringMap(m.getJsonObject("labels")),
                stringMap(m.getJsonObject("annotations")), instant(m, "createdAt"), instant(m, "updatedAt"),
                Long.toString(resourceVersion));
        JsonObject s = root.getJsonObject("spec");
        ProjectSpec spec = new ProjectSpec(
                list(s.getJsonArray("services"), ProjectCodec::service),
                list(s.getJsonArray("volumes"), v -> new VolumeSpec(v.getString("name"), VolumeType.valueOf(v.getString("type")))),
                list(s.getJsonArray("ingress"), ProjectCodec::route),
                instant(s, "expireAt"),
                new ResourceRequirements(ResourceList.parse(stringMap(s.getJsonObject("requests")))),
                stringMap(s.getJsonObject("nodeSelector")));
        return new Project(meta, spec, status(statusJson));
    }

    static ProjectStatus status(String statusJson) {
        JsonObject o = parse(statusJson);
        return new ProjectStatus(ProjectPhase.valueOf(o.getString("phase")), string(o, "nodeRef"),
                list(o.getJsonArray("conditions"), c -> new Condition(c.getString("type"),
                        ConditionStatus.valueOf(c.getString("status")), string(c, "reason"), string(c, "message"),
                        instant(c, "lastHeartbeatTime"), instant(c, "lastTransitionTime"))));
    }

    // ---------------------------------------------------------------- parts

    private static JsonObjectBuilder service(ServiceSpec s) {
        return Json.createObjectBuilder().add("name", s.name()).add("image", s.image())
                .add("env", array(s.env(), e -> Json.createObjectBuilder().add("name", e.name()).add("value", e.value())))
                .add("volumeMounts", array(s.volumeMounts(),
                        v -> Json.createObjectBuilder().add("name", v.name()).add("mountPath", v.mountPath())));
    }

    private static ServiceSpec service(JsonObject o) {
        return new ServiceSpec(o.getString("name"), o.getString("image"),
                list(o.getJsonArray("env"), e -> new EnvVar(e.getString("name"), e.getString("value"))),
                list(o.getJsonArray("volumeMounts"), v -> new VolumeMount(v.getString("name"), v.getString("mountPath"))));
    }

    private static JsonObjectBuilder route(IngressSpec r) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("name", r.name()).add("scope", r.access().scope().name());
        putString(o, "host", r.host());
        if (r.target() != null) {
            putString(o, "service", r.target().service());
            o.add("port", r.target().port());
        }
        return o;
    }

    private static IngressSpec route(JsonObject o) {
        return new IngressSpec(o.getString("name"), string(o, "host"),
                o.containsKey("port") ? new IngressSpec.Target(string(o, "service"), o.getInt("port")) : null,
                new IngressSpec.Access(IngressSpec.Scope.valueOf(o.getString("scope"))));
    }

    private static Map<String, String> amounts(ResourceList list) {
        Map<String, String> out = new LinkedHashMap<>();
        list.amounts().forEach((k, q) -> out.put(k, q.toString()));
        return out;
    }

    // ---------------------------------------------------------------- JSON-P plumbing

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static <T> JsonArrayBuilder array(List<T> items, Function<T, JsonObjectBuilder> encode) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        items.forEach(i -> a.add(encode.apply(i)));
        return a;
    }

    private static <T> List<T> list(JsonArray array, Function<JsonObject, T> decode) {
        return array == null ? List.of() : array.getValuesAs(JsonObject.class).stream().map(decode).toList();
    }

    private static JsonObjectBuilder strings(Map<String, String> map) {
        JsonObjectBuilder o = Json.createObjectBuilder();
        map.forEach(o::add);
        return o;
    }

    private static Map<String, String> stringMap(JsonObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o != null) {
            o.forEach((k, v) -> out.put(k, ((jakarta.json.JsonString) v).getString()));
        }
        return out;
    }

    private static void putString(JsonObjectBuilder o, String key, String value) {
        if (value != null) {
            o.add(key, value);
        }
    }

    private static void putInstant(JsonObjectBuilder o, String key, Instant value) {
        if (value != null) {
            o.add(key, value.toString());
        }
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v == null || v.getValueType() == JsonValue.ValueType.NULL ? null : o.getString(key);
    }

    private static Instant instant(JsonObject o, String key) {
        String s = string(o, key);
        return s == null ? null : Instant.parse(s);
    }
}
