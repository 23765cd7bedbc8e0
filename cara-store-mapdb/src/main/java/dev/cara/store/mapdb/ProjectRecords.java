package dev.cara.store.mapdb;

import dev.cara.sdk.Condition;
import dev.cara.sdk.EnvVar;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ResourceRequirements;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.VolumeMount;
import dev.cara.sdk.VolumeSpec;
import dev.cara.sdk.VolumeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The compact binary record of one project in the file, as {@link NodeRecords} is for nodes. The
 * project JSON wire format is not settled yet, and the file must not change with it: this encoding
 * is the file's own, versioned, and {@link MapDbProjectRecordsTest} checks that every field
 * round-trips.
 *
 * <p>Layout: a version byte ({@value #RECORD_VERSION}), then the metadata (name, labels, annotations,
 * createdAt, updatedAt, resourceVersion), the spec (services with their env and mounts, volumes,
 * ingress routes, expireAt, requests, node selector) and the status (phase, nodeRef, conditions), in
 * declaration order, each field encoded as {@link RecordWriter} says; enums are their Java names,
 * which the file keeps even if a wire name changes. apiVersion and kind are not stored: a project has
 * only one of each. A record version the reader does not know is reported as damage.
 */
final class ProjectRecords {
    static final int RECORD_VERSION = 1;

    private ProjectRecords() {
    }

    static byte[] write(Project p) {
        RecordWriter w = new RecordWriter();
        w.start(RECORD_VERSION);
        w.meta(p.metadata());
        ProjectSpec spec = p.spec();
        list(w, spec.services(), s -> {
            w.string(s.name());
            w.string(s.image());
            list(w, s.env(), e -> pair(w, e.name(), e.value()));
            list(w, s.volumeMounts(), v -> pair(w, v.name(), v.mountPath()));
        });
        list(w, spec.volumes(), v -> pair(w, v.name(), v.type().name()));
        list(w, spec.ingress(), i -> {
            pair(w, i.name(), i.host());
            w.bool(i.target() != null);
            if (i.target() != null) {
                w.string(i.target().service());
                w.varint(zigzag(i.target().port()));
            }
            w.string(i.access().scope().name());
        });
        w.instant(spec.expireAt());
        w.resources(spec.resources().requests());
        w.map(spec.nodeSelector());
        ProjectStatus status = p.status();
        pair(w, status.phase().name(), status.nodeRef());
        list(w, status.conditions(), w::condition);
        return w.finish();
    }

    /** @throws IllegalArgumentException when the bytes are not a record this release can read */
    static Project read(byte[] bytes) {
        RecordReader r = RecordReader.of(bytes, RECORD_VERSION, "project");
        ObjectMeta meta = r.meta();
        List<ServiceSpec> services = list(r, () -> new ServiceSpec(r.string(), r.string(),
                list(r, () -> new EnvVar(r.string(), r.string())),
                list(r, () -> new VolumeMount(r.string(), r.string()))));
        List<VolumeSpec> volumes = list(r, () -> new VolumeSpec(r.string(), VolumeType.valueOf(r.string())));
        List<IngressSpec> ingress = list(r, () -> {
            String name = r.string();
            String host = r.string();
            IngressSpec.Target target = r.bool() ? new IngressSpec.Target(r.string(), Math.toIntExact(unzigzag(r.varint()))) : null;
            return new IngressSpec(name, host, target, new IngressSpec.Access(IngressSpec.Scope.valueOf(r.string())));
        });
        Instant expireAt = r.instant();
        ResourceRequirements resources = new ResourceRequirements(r.resources(new HashMap<>()));
        ProjectSpec spec = new ProjectSpec(services, volumes, ingress, expireAt, resources, r.map());
        ProjectPhase phase = ProjectPhase.valueOf(r.string());
        String nodeRef = r.string();
        List<Condition> conditions = list(r, r::condition);
        r.end();
        return new Project(meta, spec, new ProjectStatus(phase, nodeRef, conditions));
    }

    private static <T> void list(RecordWriter w, List<T> items, Consumer<T> element) {
        w.varint(items.size());
        items.forEach(element);
    }

    private static void pair(RecordWriter w, String first, String second) {
        w.string(first);
        w.string(second);
    }

    private static <T> List<T> list(RecordReader r, Supplier<T> element) {
        int n = r.count();
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.get());
        }
        return out;
    }

    // A port is validated on create, not here: a stored one may be any int and must read back as it was.
    private static long zigzag(int v) {
        return ((long) v << 1) ^ ((long) v >> 63);
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }
}
