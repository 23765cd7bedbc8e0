package dev.cara.sdk;

import jakarta.json.bind.Jsonb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The {@code caravanserai/v1} wire format: reads and writes nodes, node lists, heartbeat reports,
 * watch events and problems exactly as DESIGN.md specifies them.
 *
 * <p>Writing leaves out nulls and empty values (but always writes {@code spec.unschedulable} and
 * {@code status.state}, the label, annotation and resource maps, and a list's {@code items}), and
 * writes timestamps as RFC 3339 in UTC.
 *
 * <p>Reading is strict where the wire format says so: the body must be one JSON object in UTF-8 with
 * nothing after it; a string where a boolean or number belongs, a number where a string belongs, and
 * a state in the wrong case are all errors that name the field, the value and the rule. Unknown
 * fields are ignored. Quantities accept a string or a number, as Kubernetes does. Every reader
 * refuses bad input with an {@link InvalidException} and nothing else.
 *
 * <p>{@link #jsonb()} is a Jakarta JSON-B instance (Yasson) with serializers and deserializers for
 * the model registered, for applications that embed cara types in their own JSON. A store keeps
 * nodes with {@link NodeStorageCodec}.
 *
 * <p>Projects follow the same rules ({@code ProjectWriter}, {@code ProjectReader}): an omitted
 * list is empty, an enum value ({@code phase}, a volume's {@code type}, an ingress {@code scope})
 * must be spelled exactly, and a store keeps projects with {@link ProjectStorageCodec}. A file that
 * mixes Node and Project manifests is read document by document with {@link #parseAnyManifest}.
 *
 * <p>Stateless and thread-safe. The writer, the readers and the JSON-B glue are package-private
 * classes behind this facade ({@code WireWriter}, {@code WireReader}, {@code HeartbeatStream},
 * {@code JsonbGlue}, {@code ProjectWriter}, {@code ProjectReader}).
 */
public final class CaraJson {
    private CaraJson() {
    }

    /** A JSON-B instance that maps cara's model types to the wire format. Thread-safe. */
    public static Jsonb jsonb() {
        return JsonbGlue.jsonb();
    }

    // ------------------------------------------------------------------ writing

    public static String toJson(Node node) {
        return WireWriter.write(g -> WireWriter.node(g, node));
    }

    public static String toJson(NodeList list) {
        return WireWriter.write(g -> WireWriter.nodeList(g, list));
    }

    public static String toJson(WatchEvent event) {
        return WireWriter.write(g -> WireWriter.watchEvent(g, event));
    }

    public static String toJson(Problem problem) {
        return WireWriter.write(g -> WireWriter.problem(g, problem));
    }

    public static String toJson(HeartbeatReport report) {
        return WireWriter.write(g -> WireWriter.heartbeat(g, report));
    }

    public static String toJson(VersionInfo version) {
        return WireWriter.write(g -> WireWriter.version(g, version));
    }

    public static String toJson(Project project) {
        return WireWriter.write(g -> ProjectWriter.project(g, project));
    }

    public static String toJson(ProjectList list) {
        return WireWriter.write(g -> ProjectWriter.list(g, list));
    }

    /** One line of a project watch stream. */
    public static String toJson(ProjectWatchEvent event) {
        return WireWriter.write(g -> WireWriter.watchEvent(g, event.type(), event.object(), ProjectWriter::project));
    }

    public static String toJson(Event event) {
        return WireWriter.write(g -> EventJson.event(g, event));
    }

    public static String toJson(EventList list) {
        return WireWriter.write(g -> EventJson.list(g, list));
    }

    /** One line of an event watch stream. */
    public static String toJson(EventWatchEvent event) {
        return WireWriter.write(g -> WireWriter.watchEvent(g, event.type(), event.object(), EventJson::event));
    }

    /** The body of an agent's {@code PATCH /api/v1/projects/{name}/status}. */
    public static String toJson(ProjectStatusReport report) {
        return WireWriter.write(g -> ProjectWriter.statusReport(g, report));
    }

    /** Writes a node list to a stream (UTF-8) without building the whole text in memory. */
    public static void write(NodeList list, OutputStream out) {
        WireWriter.write(out, g -> WireWriter.nodeList(g, list));
    }

    /**
     * A node with everything a store needs to restore it.
     *
     * @deprecated use {@link NodeStorageCodec#encode}, the storage encoding's own home
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static String toStorageJson(Node node) {
        return NodeStorageCodec.encode(node);
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a node manifest, as clients send it to register or update. {@code status} is ignored
     * entirely, even when it is malformed: it is the system's to write. A missing {@code apiVersion}
     * or {@code kind} means {@code caravanserai/v1} and {@code Node} (the only kind this API serves);
     * wrong values, the name and the labels are checked by {@link Node#validate()}, not here.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public static Node parseManifest(String json) {
        return WireReader.manifest(JsonText.STANDARD.object(json));
    }

    /** Reads a manifest from its UTF-8 bytes; malformed UTF-8 is an {@link InvalidException}. */
    public static Node parseManifest(byte[] json) {
        return WireReader.manifest(JsonText.STANDARD.object(json));
    }

    /** Reads a manifest from a stream of UTF-8, to its end. */
    public static Node parseManifest(InputStream json) {
        return parseManifest(readAll(json));
    }

    private static byte[] readAll(InputStream json) {
        try {
            return json.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the manifest", e);
        }
    }

    /**
     * Reads a project manifest, as clients send it to create or update one. {@code status} is
     * ignored entirely, even when it is malformed. A missing {@code apiVersion} or {@code kind} means
     * {@code caravanserai/v1} and {@code Project}; other values are refused here, since a project
     * keeps neither. The values (names, images, that mounts and routes name declared volumes and
     * services) are checked by {@link Project#validate()}, not here.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public static Project parseProjectManifest(String json) {
        return ProjectReader.manifest(JsonText.STANDARD.object(json));
    }

    /** Reads a project manifest from its UTF-8 bytes; malformed UTF-8 is an {@link InvalidException}. */
    public static Project parseProjectManifest(byte[] json) {
        return ProjectReader.manifest(JsonText.STANDARD.object(json));
    }

    /** Reads a project manifest from a stream of UTF-8, to its end. */
    public static Project parseProjectManifest(InputStream json) {
        return parseProjectManifest(readAll(json));
    }

    /**
     * Reads a manifest of either kind, told apart by {@code kind}: {@code Node} (or none, as
     * {@link #parseManifest} has it) or {@code Project}. Any other kind is refused naming both.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public static Manifest parseAnyManifest(String json) {
        return anyManifest(JsonText.STANDARD.object(json));
    }

    /** Reads a manifest of either kind from its UTF-8 bytes. */
    public static Manifest parseAnyManifest(byte[] json) {
        return anyManifest(JsonText.STANDARD.object(json));
    }

    private static Manifest anyManifest(jakarta.json.JsonObject o) {
        String kind = JsonFields.string(o, "kind", "kind");
        if (kind == null || Node.KIND.equals(kind)) {
            return new Manifest.OfNode(WireReader.manifest(o));
        }
        if (Project.KIND.equals(kind)) {
            return new Manifest.OfProject(ProjectReader.manifest(o));
        }
        throw new InvalidException("kind", kind, Manifest.KINDS);
    }

    /** Reads a project as the API returns it, status included. */
    public static Project parseProject(String json) {
        return ProjectReader.project(JsonText.STANDARD.object(json));
    }

    public static ProjectList parseProjectList(String json) {
        return ProjectReader.list(JsonText.STANDARD.object(json));
    }

    /**
     * Reads an agent's status report, {@code {phase, reason, message}}; the phase is required and
     * spelled exactly (Running, not running).
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public static ProjectStatusReport parseProjectStatusReport(String json) {
        return ProjectReader.statusReport(JsonText.STANDARD.object(json));
    }

    /** Reads a status report from its UTF-8 bytes, as the server receives it; malformed UTF-8 is invalid. */
    public static ProjectStatusReport parseProjectStatusReport(byte[] json) {
        return ProjectReader.statusReport(JsonText.STANDARD.object(json));
    }

    /**
     * Why {@code text} is not well-formed JSON, in the words the server's 400s use, with line and
     * column ({@code malformed JSON at line 3, column 7: found '}' where a value should be}); empty
     * when it is one JSON object or array with nothing but whitespace after it. Unlike a JSON-P
     * exception's message, the words do not depend on the parser's version. A text of several values
     * one after another is reported at its first fault, which is where a parser of the whole stream
     * stops too; its second value counts as data after the first.
     */
    public static Optional<String> syntaxError(String text) {
        return Optional.ofNullable(JsonText.STANDARD.firstFault(text)).map(InvalidException::getMessage);
    }

    /** Reads a node as the API returns it, status included. */
    public static Node parseNode(String json) {
        return WireReader.node(JsonText.STANDARD.object(json));
    }

    /**
     * Reads what {@link #toStorageJson} wrote.
     *
     * @deprecated use {@link NodeStorageCodec#decode}, the storage encoding's own home
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static Node parseStoredNode(String json) {
        return NodeStorageCodec.decode(json);
    }

    public static NodeList parseNodeList(String json) {
        // The streaming reader takes the usual list; the tree reader any other, and gives its errors.
        NodeList list = NodeListStream.read(JsonText.STANDARD, json);
        return list != null ? list : WireReader.nodeList(JsonText.STANDARD.object(json));
    }

    public static WatchEvent parseWatchEvent(String json) {
        return WireReader.watchEvent(JsonText.STANDARD.object(json));
    }

    /** Reads one line of a project watch stream, {@code {"type":"ADDED|MODIFIED|DELETED","object":{Project}}}. */
    public static ProjectWatchEvent parseProjectWatchEvent(String json) {
        return WireReader.watchEvent(JsonText.STANDARD.object(json), ProjectReader::project, ProjectWatchEvent::new);
    }

    /** Reads an event as the API returns it. */
    public static Event parseEvent(String json) {
        return EventJson.event(JsonText.STANDARD.object(json));
    }

    public static EventList parseEventList(String json) {
        return EventJson.list(JsonText.STANDARD.object(json));
    }

    /** Reads one line of an event watch stream, {@code {"type":"ADDED|MODIFIED","object":{Event}}}. */
    public static EventWatchEvent parseEventWatchEvent(String json) {
        return WireReader.watchEvent(JsonText.STANDARD.object(json), EventJson::event, EventWatchEvent::new);
    }

    public static Problem parseProblem(String json) {
        return WireReader.problem(JsonText.STANDARD.object(json));
    }

    /** Reads what {@code GET /api/v1/version} answers; a field that is missing or not a string is {@code unknown}. */
    public static VersionInfo parseVersion(String json) {
        return WireReader.version(JsonText.STANDARD.object(json));
    }

    /**
     * Reads a heartbeat body. An empty (or all-whitespace) body is an empty report.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public static HeartbeatReport parseHeartbeat(String json) {
        return JsonText.STANDARD.heartbeat(json);
    }

    /** Reads a heartbeat body from its UTF-8 bytes, as the server receives it; malformed UTF-8 is invalid. */
    public static HeartbeatReport parseHeartbeat(byte[] json) {
        return JsonText.STANDARD.heartbeat(json);
    }
}
