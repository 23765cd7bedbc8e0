package dev.cara.sdk;

import jakarta.json.stream.JsonGenerator;

import java.util.List;
import java.util.function.BiConsumer;

import static dev.cara.sdk.WireWriter.instant;
import static dev.cara.sdk.WireWriter.string;

/**
 * Writes projects in the {@code caravanserai/v1} wire format, as {@link WireWriter} writes nodes.
 * Always written: the metadata's label and annotation maps, {@code spec.services},
 * {@code status.phase} and a list's {@code items}, so that a client may index them without a
 * presence check. Left out when empty: the other lists, {@code expireAt}, cara's extensions
 * ({@code resources}, {@code nodeSelector}, which older clients do not know), {@code nodeRef} and
 * empty strings. Stateless.
 */
final class ProjectWriter {
    private ProjectWriter() {
    }

    static void project(JsonGenerator g, Project p) {
        g.writeStartObject();
        g.write("apiVersion", p.apiVersion());
        g.write("kind", p.kind());
        WireWriter.metadata(g, p.metadata());
        spec(g, p.spec());
        ProjectStatus s = p.status();
        g.writeStartObject("status");
        g.write("phase", s.phase().wireName());
        string(g, "nodeRef", s.nodeRef());
        WireWriter.conditions(g, s.conditions());
        g.writeEnd();
        g.writeEnd();
    }

    static void list(JsonGenerator g, ProjectList list) {
        WireWriter.list(g, list.apiVersion(), list.kind(), list.items(), ProjectWriter::project);
    }

    static void statusReport(JsonGenerator g, ProjectStatusReport r) {
        g.writeStartObject();
        g.write("phase", r.phase().wireName());
        string(g, "reason", r.reason());
        string(g, "message", r.message());
        g.writeEnd();
    }

    private static void spec(JsonGenerator g, ProjectSpec spec) {
        g.writeStartObject("spec");
        g.writeStartArray("services");
        for (ServiceSpec s : spec.services()) {
            service(g, s);
        }
        g.writeEnd();
        if (!spec.volumes().isEmpty()) {
            g.writeStartArray("volumes");
            for (VolumeSpec v : spec.volumes()) {
                g.writeStartObject();
                string(g, "name", v.name());
                g.write("type", v.type().wireName());
                g.writeEnd();
            }
            g.writeEnd();
        }
        if (!spec.ingress().isEmpty()) {
            g.writeStartArray("ingress");
            for (IngressSpec r : spec.ingress()) {
                ingress(g, r);
            }
            g.writeEnd();
        }
        instant(g, "expireAt", spec.expireAt());
        if (!spec.resources().requests().amounts().isEmpty()) {
            g.writeStartObject("resources");
            WireWriter.resources(g, "requests", spec.resources().requests());
            g.writeEnd();
        }
        if (!spec.nodeSelector().isEmpty()) {
            WireWriter.stringMap(g, "nodeSelector", spec.nodeSelector());
        }
        g.writeEnd();
    }

    private static void service(JsonGenerator g, ServiceSpec s) {
        g.writeStartObject();
        string(g, "name", s.name());
        string(g, "image", s.image());
        objects(g, "env", s.env(), (gen, e) -> {
            string(gen, "name", e.name());
            gen.write("value", e.value()); // an empty value is a value: FOO= sets FOO
        });
        objects(g, "volumeMounts", s.volumeMounts(), (gen, m) -> {
            string(gen, "name", m.name());
            string(gen, "mountPath", m.mountPath());
        });
        g.writeEnd();
    }

    private static void ingress(JsonGenerator g, IngressSpec r) {
        g.writeStartObject();
        string(g, "name", r.name());
        string(g, "host", r.host());
        if (r.target() != null) {
            g.writeStartObject("target");
            string(g, "service", r.target().service());
            g.write("port", r.target().port());
            g.writeEnd();
        }
        g.writeStartObject("access");
        g.write("scope", r.access().scope().wireName());
        g.writeEnd();
        g.writeEnd();
    }

    /** An array of objects under {@code key}, left out when empty; {@code fields} writes each object's fields. */
    private static <T> void objects(JsonGenerator g, String key, List<T> items, BiConsumer<JsonGenerator, T> fields) {
        if (items.isEmpty()) {
            return;
        }
        g.writeStartArray(key);
        for (T item : items) {
            g.writeStartObject();
            fields.accept(g, item);
            g.writeEnd();
        }
        g.writeEnd();
    }
}
