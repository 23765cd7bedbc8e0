package dev.cara.sdk;

import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

import java.io.OutputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Writes the {@code caravanserai/v1} wire format with a JSON-P generator. Stateless; every method
 * is safe from any thread.
 *
 * <p>Nulls and empty strings are left out; {@code spec.unschedulable}, {@code status.state}, the
 * label, annotation and resource maps and a list's {@code items} are always written, so that a
 * client may index them without a presence check, as it could against the Go system.
 */
final class WireWriter {
    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private WireWriter() {
    }

    static String write(Consumer<JsonGenerator> body) {
        StringWriter sw = new StringWriter(256);
        try (JsonGenerator g = PROVIDER.createGenerator(sw)) {
            body.accept(g);
        }
        return sw.toString();
    }

    static void write(OutputStream out, Consumer<JsonGenerator> body) {
        try (JsonGenerator g = PROVIDER.createGenerator(out)) {
            body.accept(g);
        }
    }

    static void node(JsonGenerator g, Node n) {
        nodeWithOpenStatus(g, n);
        g.writeEnd();
        g.writeEnd();
    }

    /**
     * Writes a node up to the last field of its status and leaves the status object and the node
     * open, for the storage codec to add what only a store keeps.
     */
    static void nodeWithOpenStatus(JsonGenerator g, Node n) {
        g.writeStartObject();
        g.write("apiVersion", n.apiVersion());
        g.write("kind", n.kind());
        metadata(g, n.metadata());
        g.writeStartObject("spec");
        string(g, "hostname", n.spec().hostname());
        g.write("unschedulable", n.spec().unschedulable());
        g.writeEnd();
        NodeStatus s = n.status();
        g.writeStartObject("status");
        g.write("state", s.state().wireName());
        network(g, s.network());
        resources(g, "capacity", s.capacity());
        resources(g, "allocatable", s.allocatable());
        info(g, s.info());
        instant(g, "lastHeartbeat", s.lastHeartbeat());
        conditions(g, s.conditions());
    }

    /** A resource's metadata, the same for every kind; labels and annotations always. */
    static void metadata(JsonGenerator g, ObjectMeta m) {
        g.writeStartObject("metadata");
        g.write("name", m.name());
        stringMap(g, "labels", m.labels());
        stringMap(g, "annotations", m.annotations());
        instant(g, "createdAt", m.createdAt());
        instant(g, "updatedAt", m.updatedAt());
        string(g, "resourceVersion", m.resourceVersion());
        g.writeEnd();
    }

    static void nodeList(JsonGenerator g, NodeList list) {
        list(g, list.apiVersion(), list.kind(), list.items(), WireWriter::node);
    }

    /** A list of any kind: type meta and {@code items}, each written by {@code item}. */
    static <T> void list(JsonGenerator g, String apiVersion, String kind, List<T> items, BiConsumer<JsonGenerator, T> item) {
        g.writeStartObject();
        g.write("apiVersion", apiVersion);
        g.write("kind", kind);
        g.writeStartArray("items");
        for (T t : items) {
            item.accept(g, t);
        }
        g.writeEnd();
        g.writeEnd();
    }

    static void watchEvent(JsonGenerator g, WatchEvent e) {
        watchEvent(g, e.type(), e.object(), WireWriter::node);
    }

    /** A watch event of either kind: {@code {"type":...,"object":{...}}}. */
    static <T> void watchEvent(JsonGenerator g, WatchEvent.Type type, T object, BiConsumer<JsonGenerator, T> writer) {
        g.writeStartObject();
        g.write("type", type.name());
        g.writeKey("object");
        writer.accept(g, object);
        g.writeEnd();
    }

    static void problem(JsonGenerator g, Problem p) {
        g.writeStartObject();
        g.write("type", p.type());
        g.write("title", p.title());
        g.write("status", p.status());
        string(g, "detail", p.detail());
        string(g, "instance", p.instance());
        g.writeEnd();
    }

    static void heartbeat(JsonGenerator g, HeartbeatReport r) {
        g.writeStartObject();
        if (r.state() != null) {
            g.write("state", r.state().wireName());
        }
        if (r.network() != null) {
            network(g, r.network());
        }
        if (r.capacity() != null) {
            resources(g, "capacity", r.capacity());
        }
        if (r.allocatable() != null) {
            resources(g, "allocatable", r.allocatable());
        }
        if (r.info() != null) {
            info(g, r.info());
        }
        if (r.conditions() != null) {
            g.writeStartArray("conditions");
            for (Condition c : r.conditions()) {
                condition(g, c);
            }
            g.writeEnd();
        }
        g.writeEnd();
    }

    static void version(JsonGenerator g, VersionInfo version) {
        g.writeStartObject();
        g.write("version", version.version());
        g.write("build", version.build());
        g.write("apiVersion", version.apiVersion());
        g.writeEnd();
    }

    private static void network(JsonGenerator g, NetworkStatus net) {
        if (net.isEmpty()) {
            return;
        }
        g.writeStartObject("network");
        string(g, "ip", net.ip());
        string(g, "dnsName", net.dnsName());
        if (net.mode() != null) {
            g.write("mode", net.mode().wireName());
        }
        if (net.agentPort() != null) {
            g.write("agentPort", net.agentPort());
        }
        g.writeEnd();
    }

    private static void info(JsonGenerator g, NodeInfo info) {
        if (info.isEmpty()) {
            return;
        }
        g.writeStartObject("info");
        string(g, "kernelVersion", info.kernelVersion());
        string(g, "osImage", info.osImage());
        string(g, "agentVersion", info.agentVersion());
        g.writeEnd();
    }

    static void resources(JsonGenerator g, String key, ResourceList resources) {
        g.writeStartObject(key); // even when empty: in a heartbeat, {} clears what was reported
        resources.amounts().forEach((name, q) -> g.write(name, q.toString()));
        g.writeEnd();
    }

    static void conditions(JsonGenerator g, List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return;
        }
        g.writeStartArray("conditions");
        for (Condition c : conditions) {
            condition(g, c);
        }
        g.writeEnd();
    }

    private static void condition(JsonGenerator g, Condition c) {
        g.writeStartObject();
        g.write("type", c.type());
        g.write("status", c.status().wireName());
        string(g, "reason", c.reason());
        string(g, "message", c.message());
        instant(g, "lastHeartbeatTime", c.lastHeartbeatTime());
        instant(g, "lastTransitionTime", c.lastTransitionTime());
        g.writeEnd();
    }

    static void stringMap(JsonGenerator g, String key, Map<String, String> map) {
        g.writeStartObject(key);
        map.forEach(g::write);
        g.writeEnd();
    }

    static void string(JsonGenerator g, String key, String value) {
        if (value != null && !value.isEmpty()) {
            g.write(key, value);
        }
    }

    static void instant(JsonGenerator g, String key, Instant value) {
        if (value != null) {
            g.write(key, DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }
}
