package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.cara.sdk.JsonFields.array;
import static dev.cara.sdk.JsonFields.bool;
import static dev.cara.sdk.JsonFields.instant;
import static dev.cara.sdk.JsonFields.integer;
import static dev.cara.sdk.JsonFields.object;
import static dev.cara.sdk.JsonFields.string;
import static dev.cara.sdk.JsonFields.stringMap;
import static dev.cara.sdk.JsonFields.wrongType;

/**
 * Reads the model out of JSON-P trees that {@link JsonText} has parsed: each field checked for its
 * type and rule, unknown fields ignored. Errors name the field's path from the document's root.
 * Stateless.
 */
final class WireReader {
    static final String PORT_RULE = "a TCP port from 1 to 65535";
    static final String QUANTITY_RULE = "a quantity such as \"4\", \"4000m\" or \"8Gi\"";
    static final String CONDITION_RULE = "a condition object with type and status";
    static final String CONDITION_TYPE_RULE = "a condition type such as MemoryPressure";
    static final String CONDITION_STATUS_RULE = "one of True, False, Unknown";

    private WireReader() {
    }

    /**
     * A node manifest: metadata and spec, with {@code status} ignored entirely, even when it is
     * malformed, since it is the system's to write.
     */
    static Node manifest(JsonObject o) {
        String apiVersion = string(o, "apiVersion", "apiVersion");
        String kind = string(o, "kind", "kind");
        ObjectMeta metadata = metadata(o);
        JsonObject specObj = object(o, "spec", "spec");
        NodeSpec spec = specObj == null ? NodeSpec.EMPTY
                : new NodeSpec(string(specObj, "hostname", "spec.hostname"),
                Boolean.TRUE.equals(bool(specObj, "unschedulable", "spec.unschedulable")));
        return new Node(apiVersion, kind, metadata, spec, NodeStatus.INITIAL);
    }

    /** A resource's metadata, the same for every kind; a name is required. */
    static ObjectMeta metadata(JsonObject o) {
        JsonObject meta = object(o, "metadata", "metadata");
        if (meta == null) {
            throw new InvalidException("metadata", null, "an object with at least metadata.name");
        }
        String name = string(meta, "name", "metadata.name");
        if (name == null) {
            throw new InvalidException("metadata.name", null, Names.DNS_SUBDOMAIN_RULE);
        }
        return new ObjectMeta(name,
                stringMap(meta, "labels", "metadata.labels"),
                stringMap(meta, "annotations", "metadata.annotations"),
                instant(meta, "createdAt", "metadata.createdAt"),
                instant(meta, "updatedAt", "metadata.updatedAt"),
                resourceVersion(meta));
    }

    /** A node as the API returns it: the manifest's fields and the status. */
    static Node node(JsonObject o) {
        Node node = manifest(o);
        JsonObject st = object(o, "status", "status");
        return st == null ? node : node.withStatus(status(st));
    }

    private static NodeStatus status(JsonObject st) {
        String state = string(st, "state", "status.state");
        List<Condition> conditions = conditions(st, "status.conditions");
        return new NodeStatus(state == null ? NodeState.NOT_READY : NodeState.fromWire("status.state", state),
                network(st, "status.network"),
                resources(st, "capacity", "status.capacity"),
                resources(st, "allocatable", "status.allocatable"),
                info(st, "status.info"),
                instant(st, "lastHeartbeat", "status.lastHeartbeat"),
                conditions == null ? List.of() : conditions,
                null);
    }

    /** resourceVersion is a string on the wire; a whole number is accepted too, since it is only ever compared. */
    private static String resourceVersion(JsonObject meta) {
        JsonValue v = meta.get("resourceVersion");
        if (v instanceof JsonNumber n && n.isIntegral()) {
            return n.bigIntegerValue().toString();
        }
        return string(meta, "resourceVersion", "metadata.resourceVersion");
    }

    static NodeList nodeList(JsonObject o) {
        return new NodeList(string(o, "apiVersion", "apiVersion"), string(o, "kind", "kind"),
                ProjectReader.listItems(o, "a Node object", WireReader::node));
    }

    static WatchEvent watchEvent(JsonObject o) {
        return watchEvent(o, WireReader::node, WatchEvent::new);
    }

    /** A watch event of either kind: {@code {"type":"ADDED|MODIFIED|DELETED","object":{...}}}. */
    static <T, E> E watchEvent(JsonObject o, Function<JsonObject, T> objectReader,
                               BiFunction<WatchEvent.Type, T, E> event) {
        String type = string(o, "type", "type");
        JsonObject object = object(o, "object", "object");
        if (type == null || object == null) {
            throw new InvalidException("a watch event needs a type and an object");
        }
        WatchEvent.Type t;
        try {
            t = WatchEvent.Type.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new InvalidException("type", type, "one of ADDED, MODIFIED, DELETED");
        }
        return event.apply(t, objectReader.apply(object));
    }

    static Problem problem(JsonObject o) {
        Integer code = o.get("status") instanceof JsonNumber n ? JsonFields.intIn(n.bigDecimalValue(), Integer.MIN_VALUE, Integer.MAX_VALUE) : null;
        String title = string(o, "title", "title");
        return new Problem(string(o, "type", "type"), title == null ? "" : title, code == null ? 0 : code,
                string(o, "detail", "detail"), string(o, "instance", "instance"));
    }

    /** What a server says it is; lenient, since a client only shows it. */
    static VersionInfo version(JsonObject o) {
        return new VersionInfo(o.getString("version", "unknown"), o.getString("build", "unknown"),
                o.getString("apiVersion", Node.API_VERSION));
    }

    /**
     * A heartbeat body read from its tree. The server reads heartbeats with {@link HeartbeatStream}
     * instead, which must give the same report or the same error for every document (a property
     * test holds the two together); JSON-B's deserializer uses this one.
     */
    static HeartbeatReport heartbeat(JsonObject o) {
        String state = string(o, "state", "state");
        JsonObject net = object(o, "network", "network");
        JsonObject info = object(o, "info", "info");
        List<Condition> conditions = conditions(o, "conditions");
        // The report itself refuses a condition type named twice (conditions[i].type).
        return new HeartbeatReport(
                state == null ? null : NodeState.fromWire("state", state),
                net == null ? null : network(o, "network"),
                present(o, "capacity") ? resources(o, "capacity", "capacity") : null,
                present(o, "allocatable") ? resources(o, "allocatable", "allocatable") : null,
                info == null ? null : info(o, "info"),
                conditions);
    }

    private static boolean present(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v != null && v != JsonValue.NULL;
    }

    private static NetworkStatus network(JsonObject parent, String path) {
        JsonObject n = object(parent, "network", path);
        if (n == null) {
            return NetworkStatus.EMPTY;
        }
        String mode = string(n, "mode", path + ".mode");
        Integer port = integer(n, "agentPort", path + ".agentPort", 1, 65535, PORT_RULE);
        return new NetworkStatus(string(n, "ip", path + ".ip"), string(n, "dnsName", path + ".dnsName"),
                mode == null ? null : NetworkMode.fromWire(path + ".mode", mode), port);
    }

    private static NodeInfo info(JsonObject parent, String path) {
        JsonObject i = object(parent, "info", path);
        if (i == null) {
            return NodeInfo.EMPTY;
        }
        return new NodeInfo(string(i, "kernelVersion", path + ".kernelVersion"), string(i, "osImage", path + ".osImage"),
                string(i, "agentVersion", path + ".agentVersion"));
    }

    static ResourceList resources(JsonObject parent, String key, String path) {
        JsonObject r = object(parent, key, path);
        if (r == null) {
            return ResourceList.EMPTY;
        }
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : r.entrySet()) {
            String field = path + "." + e.getKey();
            JsonValue v = e.getValue();
            if (v instanceof JsonString s) {
                amounts.put(e.getKey(), quantity(s.getString(), path, e.getKey()));
            } else if (v instanceof JsonNumber n) {
                // Not via toPlainString(): 1e999999999 would expand to a billion digits.
                amounts.put(e.getKey(), Quantity.ofJsonNumber(n.bigDecimalValue(), field));
            } else {
                throw wrongType(field, v, QUANTITY_RULE);
            }
        }
        return ResourceList.of(amounts);
    }

    /** A quantity's text, read as Kubernetes does; an error names {@code path.key}. */
    static Quantity quantity(String text, String path, String key) {
        try {
            return Quantity.parse(text);
        } catch (InvalidException ex) {
            throw new InvalidException(path + "." + key, text, ex.rule());
        }
    }

    static List<Condition> conditions(JsonObject parent, String path) {
        JsonArray a = array(parent, "conditions", path);
        if (a == null) {
            return null;
        }
        List<Condition> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String at = path + "[" + i + "]";
            if (!(a.get(i) instanceof JsonObject c)) {
                throw wrongType(at, a.get(i), CONDITION_RULE);
            }
            String type = string(c, "type", at + ".type");
            String status = string(c, "status", at + ".status");
            requireTypeAndStatus(at, type, status);
            out.add(new Condition(type, ConditionStatus.fromWire(at + ".status", status),
                    string(c, "reason", at + ".reason"), string(c, "message", at + ".message"),
                    instant(c, "lastHeartbeatTime", at + ".lastHeartbeatTime"),
                    instant(c, "lastTransitionTime", at + ".lastTransitionTime")));
        }
        return out;
    }

    static void requireTypeAndStatus(String at, String type, String status) {
        if (type == null || type.isEmpty()) {
            throw new InvalidException(at + ".type", null, CONDITION_TYPE_RULE);
        }
        if (status == null) {
            throw new InvalidException(at + ".status", null, CONDITION_STATUS_RULE);
        }
    }
}
