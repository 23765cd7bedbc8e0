package dev.cara.store.jdbc;

import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectSpec;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.ProjectStorageCodec;

import java.util.List;
import java.util.Map;

/**
 * Turns projects into the two JSON columns of {@code cara_project} and back: {@code meta_json}
 * (metadata and spec; its resourceVersion is ignored on read, the column is the truth) and
 * {@code status_json} (status only), so that a status write encodes only the second. Both are the
 * SDK's {@link ProjectStorageCodec}, as {@link NodeCodec} uses the node one. Stateless; any thread.
 */
final class ProjectCodec {
    /** Status is stored inside a minimal project, because the SDK's storage codec reads whole projects. */
    private static final ObjectMeta STATUS_ENVELOPE = ObjectMeta.named("s");
    private static final ProjectSpec NO_SPEC = new ProjectSpec(List.of(), List.of(), List.of(), null, null, Map.of());

    private ProjectCodec() {
    }

    static String metaJson(Project p) {
        return ProjectStorageCodec.encode(p.withStatus(ProjectStatus.INITIAL));
    }

    static String statusJson(ProjectStatus status) {
        return ProjectStorageCodec.encode(new Project(STATUS_ENVELOPE, NO_SPEC, status));
    }

    static Project decode(String metaJson, String statusJson, long resourceVersion) {
        Project meta = ProjectStorageCodec.decode(metaJson);
        return new Project(meta.metadata().withResourceVersion(Long.toString(resourceVersion)), meta.spec(),
                ProjectStorageCodec.decode(statusJson).status());
    }
}
