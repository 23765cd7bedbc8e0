package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code caravanserai/v1} wire format: reads and writes nodes, node lists, heartbeat reports,
 * watch events and problems exactly as DESIGN.md specifies them.
 *
 * <p>Writing leaves out nulls and empty values (but always writes {@code spec.unschedulable} and
 * {@code status.state}, and a list's {@code items}), and writes timestamps as RFC 3339 in UTC.
 *
 * <p>Reading is strict where the wire format says so: the body must be one JSON object in UTF-8 with
 * nothing after it; a string where a boolean or number belongs, a number where a string belongs, and
 * a state in the wrong case are all errors that name the field, the value and the rule. Unknown
 * fields are ignored. Quantities accept a string or a number, as Kubernetes does.
 *
 * <p>{@link #jsonb()} is a Jakarta JSON-B instance (Yasson) with serializers and deserializers for
 * the model registered, for applications that embed cara types in their own JSON.
 */
public final class CaraJson {
    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());
    private static final String EMPTY_BODY = "the body is empty: a JSON object is required";
    // Built on first use: creating a Jsonb costs tens of milliseconds, and the codec below does not need it.
    private static final class Holder {
        static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
                .withSerializers(new NodeSerializer(), new NodeListSerializer(), new WatchEventSerializer(),
                        new ProblemSerializer(), new HeartbeatSerializer())
                .withDeserializers(new NodeDeserializer(), new NodeListDeserializer(), new WatchEventDeserializer(),
                        new ProblemDeserializer(), new HeartbeatDeserializer()));
    }

    private CaraJson() {
    }

    /** A JSON-B instance that maps cara's model types to the wire format. Thread-safe. */
    public static Jsonb jsonb() {
        return Holder.JSONB;
    }

    // ------------------------------------------------------------------ writing

    public static String toJson(Node node) {
        return write(g -> writeNode(node, g, false));
    }

    public static String toJson(NodeList list) {
        return write(g -> writeNodeList(list, g));
    }

    public static String toJson(WatchEvent event) {
        return write(g -> writeWatchEvent(event, g));
    }

    public static String toJson(Problem problem) {
        return write(g -> writeProblem(problem, g));
    }

    public static String toJson(HeartbeatReport report) {
        return write(g -> writeHeartbeat(report, g));
    }

    public static String toJson(VersionInfo version) {
        return write(g -> {
            g.writeStartObject();
            g.write("version", version.version());
            g.write("build", version.build());
            g.write("apiVersion", version.apiVersion());
            g.writeEnd();
        });
    }

    /**
     * A node with everything a store needs to restore it, including what the wire format leaves
     * out (the agent's last claim). Stores use this with {@link #parseStoredNode}.
     */
    public static String toStorageJson(Node node) {
        return write(g -> writeNode(node, g, true));
    }

    /** Writes a node list to a stream (UTF-8) without building the whole text in memory. */
    public static void write(NodeList list, OutputStream out) {
        try (JsonGenerator g = PROVIDER.createGenerator(out)) {
            writeNodeList(list, g);
        }
    }

    private static String write(java.util.function.Consumer<JsonGenerator> body) {
        StringWriter sw = new StringWriter(256);
        try (JsonGenerator g = PROVIDER.createGenerator(sw)) {
            body.accept(g);
        }
        return sw.toString();
    }

    static void writeNode(Node n, JsonGenerator g, boolean storage) {
        g.writeStartObject();
        g.write("apiVersion", n.apiVersion());
        g.write("kind", n.kind());
        ObjectMeta m = n.metadata();
        g.writeStartObject("metadata");
        g.write("name", m.name());
        writeStringMap(g, "labels", m.labels());
        writeStringMap(g, "annotations", m.annotations());
        writeInstant(g, "createdAt", m.createdAt());
        writeInstant(g, "updatedAt", m.updatedAt());
        writeString(g, "resourceVersion", m.resourceVersion());
        g.writeEnd();
        g.writeStartObject("spec");
        writeString(g, "hostname", n.spec().hostname());
        g.write("unschedulable", n.spec().unschedulable());
        g.writeEnd();
        NodeStatus s = n.status();
        g.writeStartObject("status");
        g.write("state", s.state().wireName());
        writeNetwork(g, s.network());
        writeResources(g, "capacity", s.capacity());
        writeResources(g, "allocatable", s.allocatable());
        writeInfo(g, s.info());
        writeInstant(g, "lastHeartbeat", s.lastHeartbeat());
        writeConditions(g, s.conditions());
        if (storage && s.claim() != null) {
            g.writeStartObject("claim");
            g.write("state", s.claim().state().wireName());
            writeString(g, "reason", s.claim().reason());
            writeString(g, "message", s.claim().message());
            g.writeEnd();
        }
        g.writeEnd();
        g.writeEnd();
    }

    private static void writeNodeList(NodeList list, JsonGenerator g) {
        g.writeStartObject();
        g.write("apiVersion", list.apiVersion());
        g.write("kind", list.kind());
        g.writeStartArray("items");
        for (Node n : list.items()) {
            writeNode(n, g, false);
        }
        g.writeEnd();
        g.writeEnd();
    }

    private static void writeWatchEvent(WatchEvent e, JsonGenerator g) {
        g.writeStartObject();
        g.write("type", e.type().name());
        g.writeKey("object");
        writeNode(e.object(), g, false);
        g.writeEnd();
    }

    private static void writeProblem(Problem p, JsonGenerator g) {
        g.writeStartObject();
        g.write("type", p.type());
        g.write("title", p.title());
        g.write("status", p.status());
        writeString(g, "detail", p.detail());
        writeString(g, "instance", p.instance());
        g.writeEnd();
    }

    private static void writeHeartbeat(HeartbeatReport r, JsonGenerator g) {
        g.writeStartObject();
        if (r.state() != null) {
            g.write("state", r.state().wireName());
        }
        if (r.network() != null) {
            writeNetwork(g, r.network());
        }
        if (r.capacity() != null) {
            writeResources(g, "capacity", r.capacity());
        }
        if (r.allocatable() != null) {
            writeResources(g, "allocatable", r.allocatable());
        }
        if (r.info() != null) {
            writeInfo(g, r.info());
        }
        if (r.conditions() != null) {
            g.writeStartArray("conditions");
            for (Condition c : r.conditions()) {
                writeCondition(g, c);
            }
            g.writeEnd();
        }
        g.writeEnd();
    }

    private static void writeNetwork(JsonGenerator g, NetworkStatus net) {
        if (net.isEmpty()) {
            return;
        }
        g.writeStartObject("network");
        writeString(g, "ip", net.ip());
        writeString(g, "dnsName", net.dnsName());
        if (net.mode() != null) {
            g.write("mode", net.mode().wireName());
        }
        if (net.agentPort() != null) {
            g.write("agentPort", net.agentPort());
        }
        g.writeEnd();
    }

    private static void writeInfo(JsonGenerator g, NodeInfo info) {
        if (info.isEmpty()) {
            return;
        }
        g.writeStartObject("info");
        writeString(g, "kernelVersion", info.kernelVersion());
        writeString(g, "osImage", info.osImage());
        writeString(g, "agentVersion", info.agentVersion());
        g.writeEnd();
    }

    private static void writeResources(JsonGenerator g, String key, ResourceList resources) {
        g.writeStartObject(key); // even when empty: in a heartbeat, {} clears what was reported
        resources.amounts().forEach((name, q) -> g.write(name, q.toString()));
        g.writeEnd();
    }

    private static void writeConditions(JsonGenerator g, List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return;
        }
        g.writeStartArray("conditions");
        for (Condition c : conditions) {
            writeCondition(g, c);
        }
        g.writeEnd();
    }

    private static void writeCondition(JsonGenerator g, Condition c) {
        g.writeStartObject();
        g.write("type", c.type());
        g.write("status", c.status().wireName());
        writeString(g, "reason", c.reason());
        writeString(g, "message", c.message());
        writeInstant(g, "lastHeartbeatTime", c.lastHeartbeatTime());
        writeInstant(g, "lastTransitionTime", c.lastTransitionTime());
        g.writeEnd();
    }

    // Maps are written even when empty ({}): a client may index metadata.labels or status.capacity
    // without a presence check, as it could against the Go system.
    private static void writeStringMap(JsonGenerator g, String key, Map<String, String> map) {
        g.writeStartObject(key);
        map.forEach(g::write);
        g.writeEnd();
    }

    private static void writeString(JsonGenerator g, String key, String value) {
        if (value != null && !value.isEmpty()) {
            g.write(key, value);
        }
    }

    private static void writeInstant(JsonGenerator g, String key, Instant value) {
        if (value != null) {
            g.write(key, DateTimeFormatter.ISO_INSTANT.format(value));
        }
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
        return readNode(parseObject(json), false, false);
    }

    public static Node parseManifest(InputStream json) {
        return readNode(parseObject(json), false, false);
    }

    /** Reads a node as the API returns it, status included. */
    public static Node parseNode(String json) {
        return readNode(parseObject(json), false, true);
    }

    /** Reads what {@link #toStorageJson} wrote. */
    public static Node parseStoredNode(String json) {
        return readNode(parseObject(json), true, true);
    }

    public static NodeList parseNodeList(String json) {
        return readNodeList(parseObject(json));
    }

    public static WatchEvent parseWatchEvent(String json) {
        return readWatchEvent(parseObject(json));
    }

    public static Problem parseProblem(String json) {
        return readProblem(parseObject(json));
    }

    /**
     * Reads a heartbeat body. An empty (or all-whitespace) body is an empty report.
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public static HeartbeatReport parseHeartbeat(String json) {
        if (json == null || json.isBlank()) {
            return HeartbeatReport.EMPTY;
        }
        return readHeartbeat(parseObject(json));
    }

    public static HeartbeatReport parseHeartbeat(byte[] json) {
        if (isBlank(json)) {
            return HeartbeatReport.EMPTY;
        }
        return readHeartbeat(parseObject(utf8(json)));
    }

    /**
     * Decodes a body as UTF-8, refusing malformed bytes. This is the heartbeat's hot path: one
     * vectorised decode into a String, and a strict second look only in the rare case that the
     * text holds U+FFFD (which malformed input turns into, but a sender may also have meant).
     */
    private static String utf8(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw new InvalidException("malformed JSON: the body is not valid UTF-8");
            }
        }
        return text;
    }

    /** Parses one JSON object, with nothing but whitespace after it. */
    public static JsonObject parseObject(String json) {
        if (json.isBlank()) {
            throw new InvalidException(EMPTY_BODY);
        }
        return parseObject(PROVIDER.createParser(new StringReader(json)));
    }

    public static JsonObject parseObject(InputStream json) {
        // RFC 8259: JSON between systems is UTF-8. Naming the charset also skips JSON-P's encoding
        // detection, which throws a raw JsonException on bodies shorter than two bytes ("5").
        // The decoder reports malformed bytes instead of turning them into U+FFFD behind our back.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return parseObject(PARSERS.createParser(new InputStreamReader(json, utf8)));
    }

    private static JsonObject parseObject(JsonParser parser) {
        try (parser) {
            JsonParser.Event first;
            try {
                first = parser.hasNext() ? parser.next() : null;
            } catch (JsonParsingException e) {
                // Parsson reports an empty stream as a parse error at the end of input.
                if (e.getMessage() != null && e.getMessage().contains("EOF")) {
                    first = null;
                } else {
                    throw e;
                }
            }
            if (first == null) {
                throw new InvalidException(EMPTY_BODY);
            }
            if (first != JsonParser.Event.START_OBJECT) {
                throw new InvalidException("the body must be a JSON object, not " + describe(first));
            }
            JsonObject object = parser.getObject();
            // Parsson's hasNext() reads on past the object and throws on any token but the end of input.
            boolean more;
            try {
                more = parser.hasNext();
            } catch (JsonParsingException e) {
                more = true;
            }
            if (more) {
                throw new InvalidException("the body has data after the JSON object" + where(parser)
                        + ": send exactly one JSON object");
            }
            return object;
        } catch (JsonException e) {
            throw malformed(e);
        } catch (CaraException e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson refuses some input with plain runtime exceptions rather than JsonExceptions:
            // nesting deeper than its limit, and numbers that BigDecimal cannot hold (1e99999999999).
            throw refused(e);
        }
    }

    private static InvalidException refused(RuntimeException e) {
        if (e instanceof NumberFormatException || e instanceof ArithmeticException) {
            return new InvalidException("malformed JSON: a number is out of range (its exponent is too large to read)");
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("nested")) {
            String limit = message.replaceAll("[^0-9]", "");
            return new InvalidException("malformed JSON: objects and arrays are nested too deeply"
                    + (limit.isEmpty() ? "" : " (at most " + limit + " levels)"));
        }
        return new InvalidException("malformed JSON: " + message);
    }

    private static final Pattern PARSSON_TOKEN =
            Pattern.compile("Invalid token=(\\w+) at \\(line no=(-?\\d+), column no=(-?\\d+).*Expected tokens are: \\[(.*)]");
    private static final Pattern PARSSON_CHAR =
            // The character's code comes formatted for the default locale: "8,220", "8.220" or "8 220".
            Pattern.compile("Unexpected char (-?[0-9][0-9,.'\u00a0\u202f ]*) at \\(line no=(-?\\d+), column no=(-?\\d+).*");

    /**
     * Says what is wrong in words a user can act on. JSON-P's messages name its own token types
     * ("Invalid token=CURLYCLOSE ... Expected tokens are: [STRING]"); we translate the common ones
     * and keep the rest as they are.
     */
    private static InvalidException malformed(JsonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharacterCodingException) {
                return new InvalidException("malformed JSON: the body is not valid UTF-8");
            }
        }
        String message = String.valueOf(e.getMessage());
        Matcher token = PARSSON_TOKEN.matcher(message);
        if (token.matches()) {
            List<String> expected = new ArrayList<>();
            String[] tokens = token.group(4).split(",\\s*");
            if (tokens.length >= 7) {
                expected.add("a value"); // every kind of value: '{', '[', a string, a number, true, false, null
            } else {
                for (String t : tokens) {
                    expected.add(tokenName(t));
                }
            }
            return new InvalidException("malformed JSON at line " + token.group(2) + ", column " + token.group(3)
                    + ": found " + tokenName(token.group(1)) + " where " + String.join(" or ", expected) + " should be");
        }
        Matcher c = PARSSON_CHAR.matcher(message);
        if (c.matches()) {
            int code = Integer.parseInt(c.group(1).replaceAll("[^0-9-]", ""));
            String shown;
            if (code < 0) {
                shown = "unexpected end of the body";
            } else if (code == 0xFEFF) {
                shown = "unexpected byte-order mark (U+FEFF): send the JSON without one";
            } else if (code < 0x20) {
                shown = String.format("unexpected control character U+%04X (inside a string, write it escaped, as in \\n)", code);
            } else if (Character.isLetter(code) || code == '\'') {
                shown = "unexpected character '" + Character.toString(code) + "' (strings and field names need double quotes)";
            } else {
                shown = "unexpected character '" + Character.toString(code) + "'";
            }
            return new InvalidException("malformed JSON at line " + c.group(2) + ", column " + c.group(3) + ": " + shown);
        }
        return new InvalidException("malformed JSON: " + message);
    }

    private static String tokenName(String token) {
        return switch (token.trim()) {
            case "EOF" -> "the end of the body";
            case "CURLYOPEN" -> "'{'";
            case "CURLYCLOSE" -> "'}'";
            case "SQUAREOPEN" -> "'['";
            case "SQUARECLOSE" -> "']'";
            case "COLON" -> "':'";
            case "COMMA" -> "','";
            case "STRING" -> "a string";
            case "NUMBER" -> "a number";
            case "TRUE" -> "true";
            case "FALSE" -> "false";
            case "NULL" -> "null";
            default -> token.trim();
        };
    }

    private static String where(JsonParser parser) {
        try {
            JsonLocation at = parser.getLocation();
            return at == null || at.getLineNumber() < 0 ? "" : " (line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String describe(JsonParser.Event e) {
        return switch (e) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> e.name();
        };
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    static Node readNode(JsonObject o, boolean storage, boolean withStatus) {
        String apiVersion = string(o, "apiVersion", "apiVersion");
        String kind = string(o, "kind", "kind");
        JsonObject meta = object(o, "metadata", "metadata");
        if (meta == null) {
            throw new InvalidException("metadata", null, "an object with at least metadata.name");
        }
        String name = string(meta, "name", "metadata.name");
        if (name == null) {
            throw new InvalidException("metadata.name", null, Names.DNS_SUBDOMAIN_RULE);
        }
        ObjectMeta metadata = new ObjectMeta(name,
                stringMap(meta, "labels", "metadata.labels"),
                stringMap(meta, "annotations", "metadata.annotations"),
                instant(meta, "createdAt", "metadata.createdAt"),
                instant(meta, "updatedAt", "metadata.updatedAt"),
                resourceVersion(meta));
        JsonObject specObj = object(o, "spec", "spec");
        NodeSpec spec = specObj == null ? NodeSpec.EMPTY
                : new NodeSpec(string(specObj, "hostname", "spec.hostname"),
                Boolean.TRUE.equals(bool(specObj, "unschedulable", "spec.unschedulable")));
        NodeStatus status = NodeStatus.INITIAL;
        JsonObject st = withStatus ? object(o, "status", "status") : null;
        if (st != null) {
            String state = string(st, "state", "status.state");
            List<Condition> conditions = conditions(st, "status.conditions");
            AgentClaim claim = null;
            JsonObject c = storage ? object(st, "claim", "status.claim") : null;
            if (c != null) {
                claim = new AgentClaim(NodeState.fromWire("status.claim.state", string(c, "state", "status.claim.state")),
                        string(c, "reason", "status.claim.reason"), string(c, "message", "status.claim.message"));
            }
            status = new NodeStatus(state == null ? NodeState.NOT_READY : NodeState.fromWire("status.state", state),
                    network(st, "status.network"),
                    resources(st, "capacity", "status.capacity"),
                    resources(st, "allocatable", "status.allocatable"),
                    info(st, "status.info"),
                    instant(st, "lastHeartbeat", "status.lastHeartbeat"),
                    conditions == null ? List.of() : conditions,
                    claim);
        }
        return new Node(apiVersion, kind, metadata, spec, status);
    }

    /** resourceVersion is a string on the wire; a number is accepted too, since it is only ever compared. */
    private static String resourceVersion(JsonObject meta) {
        JsonValue v = meta.get("resourceVersion");
        if (v instanceof JsonNumber n && n.isIntegral()) {
            return n.bigIntegerValue().toString();
        }
        return string(meta, "resourceVersion", "metadata.resourceVersion");
    }

    private static NodeList readNodeList(JsonObject o) {
        JsonArray items = array(o, "items", "items");
        List<Node> nodes = new ArrayList<>();
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                JsonValue v = items.get(i);
                if (!(v instanceof JsonObject item)) {
                    throw wrongType("items[" + i + "]", v, "a Node object");
                }
                try {
                    nodes.add(readNode(item, false, true));
                } catch (InvalidException e) {
                    throw e.under("items[" + i + "]");
                }
            }
        }
        return new NodeList(string(o, "apiVersion", "apiVersion"), string(o, "kind", "kind"), nodes);
    }

    private static WatchEvent readWatchEvent(JsonObject o) {
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
        return new WatchEvent(t, readNode(object, false, true));
    }

    private static Problem readProblem(JsonObject o) {
        JsonValue status = o.get("status");
        int code = status instanceof JsonNumber n ? n.intValue() : 0;
        String title = string(o, "title", "title");
        return new Problem(string(o, "type", "type"), title == null ? "" : title, code,
                string(o, "detail", "detail"), string(o, "instance", "instance"));
    }

    static HeartbeatReport readHeartbeat(JsonObject o) {
        String state = string(o, "state", "state");
        JsonObject net = object(o, "network", "network");
        JsonObject info = object(o, "info", "info");
        List<Condition> conditions = conditions(o, "conditions");
        // The report itself refuses a condition type named twice (conditions[i].type).
        return new HeartbeatReport(
                state == null ? null : NodeState.fromWire("state", state),
                net == null ? null : network(o, "network"),
                o.containsKey("capacity") && o.get("capacity") != JsonValue.NULL ? resources(o, "capacity", "capacity") : null,
                o.containsKey("allocatable") && o.get("allocatable") != JsonValue.NULL ? resources(o, "allocatable", "allocatable") : null,
                info == null ? null : info(o, "info"),
                conditions);
    }

    private static NetworkStatus network(JsonObject parent, String path) {
        JsonObject n = object(parent, "network", path);
        if (n == null) {
            return NetworkStatus.EMPTY;
        }
        String mode = string(n, "mode", path + ".mode");
        Integer port = integer(n, "agentPort", path + ".agentPort", 1, 65535, "a TCP port from 1 to 65535");
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

    private static ResourceList resources(JsonObject parent, String key, String path) {
        JsonObject r = object(parent, key, path);
        if (r == null) {
            return ResourceList.EMPTY;
        }
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : r.entrySet()) {
            String field = path + "." + e.getKey();
            JsonValue v = e.getValue();
            String text;
            if (v instanceof JsonString s) {
                text = s.getString();
            } else if (v instanceof JsonNumber n) {
                // Not via toPlainString(): 1e999999999 would expand to a billion digits.
                amounts.put(e.getKey(), Quantity.ofJsonNumber(n.bigDecimalValue(), field));
                continue;
            } else {
                throw wrongType(field, v, "a quantity such as \"4\", \"4000m\" or \"8Gi\"");
            }
            try {
                amounts.put(e.getKey(), Quantity.parse(text));
            } catch (InvalidException ex) {
                throw new InvalidException(field, text, ex.rule());
            }
        }
        return ResourceList.of(amounts);
    }

    private static List<Condition> conditions(JsonObject parent, String path) {
        JsonArray a = array(parent, "conditions", path);
        if (a == null) {
            return null;
        }
        List<Condition> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String at = path + "[" + i + "]";
            if (!(a.get(i) instanceof JsonObject c)) {
                throw wrongType(at, a.get(i), "a condition object with type and status");
            }
            String type = string(c, "type", at + ".type");
            String status = string(c, "status", at + ".status");
            if (type == null || type.isEmpty()) {
                throw new InvalidException(at + ".type", null, "a condition type such as MemoryPressure");
            }
            if (status == null) {
                throw new InvalidException(at + ".status", null, "one of True, False, Unknown");
            }
            out.add(new Condition(type, ConditionStatus.fromWire(at + ".status", status),
                    string(c, "reason", at + ".reason"), string(c, "message", at + ".message"),
                    instant(c, "lastHeartbeatTime", at + ".lastHeartbeatTime"),
                    instant(c, "lastTransitionTime", at + ".lastTransitionTime")));
        }
        return out;
    }

    // Typed field access. A JSON null is the same as an absent field.

    private static String string(JsonObject o, String key, String path) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.getString();
        }
        throw wrongType(path, v, "a string (in quotes)");
    }

    private static Boolean bool(JsonObject o, String key, String path) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        throw wrongType(path, v, "a boolean (true or false, without quotes)");
    }

    /** An integer from min to max; the rule names the range, since that is what a user must fix. */
    private static Integer integer(JsonObject o, String key, String path, int min, int max, String rule) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonNumber n && n.isIntegral()) {
            // Compare as BigDecimal first: a 100-digit number must not become a wrapped-around int.
            if (n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(min)) >= 0
                    && n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(max)) <= 0) {
                return n.intValue();
            }
            throw wrongType(path, v, rule);
        }
        throw wrongType(path, v, rule + " (a number without quotes)");
    }

    private static JsonObject object(JsonObject o, String key, String path) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonObject obj) {
            return obj;
        }
        throw wrongType(path, v, "an object");
    }

    private static JsonArray array(JsonObject o, String key, String path) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonArray a) {
            return a;
        }
        throw wrongType(path, v, "an array");
    }

    private static Map<String, String> stringMap(JsonObject o, String key, String path) {
        JsonObject m = object(o, key, path);
        if (m == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : m.entrySet()) {
            if (!(e.getValue() instanceof JsonString s)) {
                throw wrongType(path + "." + e.getKey(), e.getValue(), "a string (in quotes)");
            }
            out.put(e.getKey(), s.getString());
        }
        return out;
    }

    /** A value of the wrong JSON type, shown as the JSON the user sent: 5 bare, "yes" in quotes. */
    private static InvalidException wrongType(String path, JsonValue v, String rule) {
        String json = v.toString();
        return InvalidException.ofJson(path, json, v instanceof JsonString s ? s.getString() : json, rule);
    }

    private static Instant instant(JsonObject o, String key, String path) {
        String text = string(o, key, path);
        if (text == null || text.isEmpty()) {
            return null;
        }
        Instant at = Rfc3339.parse(text);
        if (at == null) {
            throw new InvalidException(path, text, "an RFC 3339 timestamp such as 2026-01-02T15:04:05Z");
        }
        return at;
    }

    // ------------------------------------------------------------------ JSON-B glue
    // JSON-B finds a (de)serializer's type from its class's type argument, so each is a concrete class.

    private static final class NodeSerializer implements JsonbSerializer<Node> {
        @Override
        public void serialize(Node obj, JsonGenerator g, SerializationContext ctx) {
            writeNode(obj, g, false);
        }
    }

    private static final class NodeListSerializer implements JsonbSerializer<NodeList> {
        @Override
        public void serialize(NodeList obj, JsonGenerator g, SerializationContext ctx) {
            writeNodeList(obj, g);
        }
    }

    private static final class WatchEventSerializer implements JsonbSerializer<WatchEvent> {
        @Override
        public void serialize(WatchEvent obj, JsonGenerator g, SerializationContext ctx) {
            writeWatchEvent(obj, g);
        }
    }

    private static final class ProblemSerializer implements JsonbSerializer<Problem> {
        @Override
        public void serialize(Problem obj, JsonGenerator g, SerializationContext ctx) {
            writeProblem(obj, g);
        }
    }

    private static final class HeartbeatSerializer implements JsonbSerializer<HeartbeatReport> {
        @Override
        public void serialize(HeartbeatReport obj, JsonGenerator g, SerializationContext ctx) {
            writeHeartbeat(obj, g);
        }
    }

    private static final class NodeDeserializer implements JsonbDeserializer<Node> {
        @Override
        public Node deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return readNode(parser.getObject(), false, true);
        }
    }

    private static final class NodeListDeserializer implements JsonbDeserializer<NodeList> {
        @Override
        public NodeList deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return readNodeList(parser.getObject());
        }
    }

    private static final class WatchEventDeserializer implements JsonbDeserializer<WatchEvent> {
        @Override
        public WatchEvent deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return readWatchEvent(parser.getObject());
        }
    }

    private static final class ProblemDeserializer implements JsonbDeserializer<Problem> {
        @Override
        public Problem deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return readProblem(parser.getObject());
        }
    }

    private static final class HeartbeatDeserializer implements JsonbDeserializer<HeartbeatReport> {
        @Override
        public HeartbeatReport deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return readHeartbeat(parser.getObject());
        }
    }
}
