package dev.cara.sdk;

import jakarta.json.JsonNumber;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Reads a node list ({@code GET /api/v1/nodes}) from the parser's events straight into a
 * {@link NodeList}, without building a JSON-P tree and walking it a second time: this is most of
 * what {@code caractrl get nodes} spends on JSON, all of it in a JVM that has not compiled the
 * parser yet.
 *
 * <p>It must agree with {@link WireReader#nodeList} on every document (NodeListStreamTest holds the
 * two together over generated documents). Rather than reproduce the tree reader's error order, it
 * takes only the documents that it reads exactly as the tree reader would: every known field with a
 * value of the type the tree reader expects there, no known field twice in one object, and every
 * value built the way the tree reader builds it. On any other document (malformed, a wrong type, a
 * duplicate, a value that a constructor refuses) {@link #read} answers null and the caller hands the
 * text to the tree reader, which gives the list or the error. Every scalar, known or not, is taken
 * with {@link JsonParser#getValue()}, the call the tree builder makes, so that a number the tree
 * cannot hold (1e99999999999) fails here too; an unknown object or array is read with it whole.
 *
 * <p>One instance reads one body, on the calling thread.
 */
final class NodeListStream {
    /** The document is not one this reader takes as the tree reader would; thrown without a stack trace. */
    private static final class Unusual extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unusual() {
            super(null, null, false, false);
        }
    }

    private static final Unusual UNUSUAL = new Unusual();

    private final JsonParser p;

    private NodeListStream(JsonParser p) {
        this.p = p;
    }

    /** The node list, or null when the tree reader must read this text (see the class comment). */
    static NodeList read(JsonText source, String text) {
        try (JsonParser p = source.parser(text)) {
            if (!p.hasNext() || p.next() != Event.START_OBJECT) {
                return null;
            }
            NodeList list = new NodeListStream(p).list();
            return p.hasNext() ? null : list;
        } catch (RuntimeException e) {
            // Unusual, not well-formed, or refused by a constructor: the tree reader gives the outcome.
            return null;
        }
    }

    // The fields each object may have; the readers below take a field's value by its index here.
    private static final List<String> LIST = List.of("apiVersion", "kind", "items");
    private static final List<String> NODE = List.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final List<String> METADATA = List.of("name", "labels", "annotations", "createdAt", "updatedAt",
            "resourceVersion");
    private static final List<String> SPEC = List.of("hostname", "unschedulable");
    private static final List<String> STATUS = List.of("state", "network", "capacity", "allocatable", "info",
            "lastHeartbeat", "conditions");
    private static final List<String> NETWORK = List.of("ip", "dnsName", "mode", "agentPort");
    private static final List<String> INFO = List.of("kernelVersion", "osImage", "agentVersion");
    private static final List<String> CONDITION = List.of("type", "status", "reason", "message", "lastHeartbeatTime",
            "lastTransitionTime");

    private NodeList list() {
        Object[] v = fields(LIST, i -> i == 2 ? items() : string());
        return new NodeList((String) v[0], (String) v[1], v[2] == null ? new ArrayList<>() : cast(v[2]));
    }

    private List<Node> items() {
        List<Node> nodes = new ArrayList<>();
        if (!array()) {
            return null;
        }
        Event e;
        while ((e = p.next()) != Event.END_ARRAY) {
            require(e == Event.START_OBJECT);
            nodes.add(node());
        }
        return nodes;
    }

    /** A node, at its START_OBJECT; built as {@link WireReader#node} builds it. */
    private Node node() {
        Object[] v = fields(NODE, i -> switch (i) {
            case 2 -> {
                require(p.next() == Event.START_OBJECT); // required: its absence is the tree reader's error
                yield metadata();
            }
            case 3 -> object() ? spec() : null;
            case 4 -> object() ? status() : null;
            default -> string();
        });
        require(v[2] != null);
        Node node = new Node((String) v[0], (String) v[1], (ObjectMeta) v[2], v[3] == null ? NodeSpec.EMPTY : (NodeSpec) v[3],
                NodeStatus.INITIAL);
        return v[4] == null ? node : node.withStatus((NodeStatus) v[4]);
    }

    private ObjectMeta metadata() {
        Object[] v = fields(METADATA, i -> switch (i) {
            case 1, 2 -> stringMap();
            case 5 -> resourceVersion();
            default -> string();
        });
        require(v[0] != null);
        return new ObjectMeta((String) v[0], v[1] == null ? Map.of() : cast(v[1]), v[2] == null ? Map.of() : cast(v[2]),
                JsonFields.instant((String) v[3], "metadata.createdAt"), JsonFields.instant((String) v[4], "metadata.updatedAt"),
                (String) v[5]);
    }

    /** As WireReader.resourceVersion reads it: a string, or a whole number. */
    private String resourceVersion() {
        Event e = p.next();
        if (e == Event.VALUE_NUMBER) {
            JsonNumber n = number(e);
            require(n.isIntegral());
            return n.bigIntegerValue().toString();
        }
        return stringAt(e);
    }

    private NodeSpec spec() {
        Object[] v = fields(SPEC, i -> i == 0 ? string() : bool());
        return new NodeSpec((String) v[0], Boolean.TRUE.equals(v[1]));
    }

    private NodeStatus status() {
        Object[] v = fields(STATUS, i -> switch (i) {
            case 1 -> object() ? network() : null;
            case 2 -> resources("status.capacity");
            case 3 -> resources("status.allocatable");
            case 4 -> object() ? info() : null;
            case 6 -> conditions();
            default -> string();
        });
        String state = (String) v[0];
        return new NodeStatus(state == null ? NodeState.NOT_READY : NodeState.fromWire("status.state", state),
                (NetworkStatus) v[1], (ResourceList) v[2], (ResourceList) v[3], (NodeInfo) v[4],
                JsonFields.instant((String) v[5], "status.lastHeartbeat"), v[6] == null ? List.of() : cast(v[6]), null);
    }

    private NetworkStatus network() {
        Object[] v = fields(NETWORK, i -> i == 3 ? port() : string());
        String mode = (String) v[2];
        return new NetworkStatus((String) v[0], (String) v[1],
                mode == null ? null : NetworkMode.fromWire("status.network.mode", mode), (Integer) v[3]);
    }

    /** An agent port, as JsonFields.integer reads it: a whole number from 1 to 65535, or null. */
    private Integer port() {
        Event e = p.next();
        if (e == Event.VALUE_NULL) {
            return null;
        }
        JsonNumber n = number(e);
        Integer port = n.isIntegral() ? JsonFields.intIn(n.bigDecimalValue(), 1, 65535) : null;
        require(port != null);
        return port;
    }

    private NodeInfo info() {
        Object[] v = fields(INFO, i -> string());
        return new NodeInfo((String) v[0], (String) v[1], (String) v[2]);
    }

    /** Capacity or allocatable, as {@link WireReader#resources} reads them (a later duplicate replaces an earlier one there too). */
    private ResourceList resources(String path) {
        if (!object()) {
            return null;
        }
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        String key;
        while ((key = nextKey()) != null) {
            Event e = p.next();
            if (e == Event.VALUE_STRING) {
                amounts.put(key, WireReader.quantity(p.getString(), path, key));
            } else {
                // Not via toPlainString(): 1e999999999 would expand to a billion digits.
                amounts.put(key, Quantity.ofJsonNumber(number(e).bigDecimalValue(), path + "." + key));
            }
        }
        return ResourceList.of(amounts);
    }

    private List<Condition> conditions() {
        if (!array()) {
            return null;
        }
        List<Condition> out = new ArrayList<>();
        Event e;
        while ((e = p.next()) != Event.END_ARRAY) {
            require(e == Event.START_OBJECT);
            String at = "status.conditions[" + out.size() + "]";
            Object[] v = fields(CONDITION, i -> string());
            String type = (String) v[0];
            String status = (String) v[1];
            WireReader.requireTypeAndStatus(at, type, status);
            out.add(new Condition(type, ConditionStatus.fromWire(at + ".status", status), (String) v[2], (String) v[3],
                    JsonFields.instant((String) v[4], at + ".lastHeartbeatTime"),
                    JsonFields.instant((String) v[5], at + ".lastTransitionTime")));
        }
        return out;
    }

    /** Labels or annotations, as {@link JsonFields#stringMap} reads them. */
    private Map<String, String> stringMap() {
        if (!object()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        String key;
        while ((key = nextKey()) != null) {
            require(p.next() == Event.VALUE_STRING);
            out.put(key, p.getString());
        }
        return out;
    }

    // ------------------------------------------------------------------ events

    /** The next key of the object being read, or null at its end. */
    private String nextKey() {
        Event e = p.next();
        if (e == Event.END_OBJECT) {
            return null;
        }
        require(e == Event.KEY_NAME);
        return p.getString();
    }

    /** The next value: true at an object's start, false for null; anything else is unusual. */
    private boolean object() {
        return opens(Event.START_OBJECT);
    }

    private boolean opens(Event start) {
        Event e = p.next();
        require(e == start || e == Event.VALUE_NULL);
        return e == start;
    }

    /** The next value as a string, or null for JSON null; anything else is unusual. */
    private String string() {
        return stringAt(p.next());
    }

    private String stringAt(Event e) {
        if (e == Event.VALUE_STRING) {
            return p.getString();
        }
        require(e == Event.VALUE_NULL);
        return null;
    }

    /** The number at this event, as the tree holds it; anything else is unusual. */
    private JsonNumber number(Event e) {
        require(e == Event.VALUE_NUMBER);
        return (JsonNumber) p.getValue();
    }

    /** Reads the next value whole, as the tree builder would, and drops it. */
    private void skip() {
        p.next();
        p.getValue();
    }

    /**
     * Reads the object being read (after its START_OBJECT): the value of each key in {@code keys} by
     * {@code value} (given the key's index), the others' skipped. A key twice is unusual: the tree
     * keeps the last, which is left to the tree reader.
     */
    private Object[] fields(List<String> keys, IntFunction<Object> value) {
        Object[] values = new Object[keys.size()];
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            int i = keys.indexOf(key);
            if (i < 0) {
                skip();
            } else {
                require((seen & 1 << i) == 0);
                seen |= 1 << i;
                values[i] = value.apply(i);
            }
        }
        return values;
    }

    /** The next value: true at an array's start, false for null; anything else is unusual. */
    private boolean array() {
        return opens(Event.START_ARRAY);
    }

    /** The next value as a boolean, or null for JSON null; anything else is unusual. */
    private Boolean bool() {
        Event e = p.next();
        require(e == Event.VALUE_TRUE || e == Event.VALUE_FALSE || e == Event.VALUE_NULL);
        return e == Event.VALUE_NULL ? null : e == Event.VALUE_TRUE;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static void require(boolean usual) {
        if (!usual) {
            throw UNUSUAL;
        }
    }
}
