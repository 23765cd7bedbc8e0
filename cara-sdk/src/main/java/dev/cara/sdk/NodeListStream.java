package dev.cara.sdk;

import jakarta.json.JsonNumber;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private NodeList list() {
        String apiVersion = null;
        String kind = null;
        List<Node> nodes = new ArrayList<>();
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "apiVersion" -> {
                    seen = once(seen, 1);
                    apiVersion = string();
                }
                case "kind" -> {
                    seen = once(seen, 2);
                    kind = string();
                }
                case "items" -> {
                    seen = once(seen, 4);
                    Event e = p.next();
                    if (e == Event.START_ARRAY) {
                        while ((e = p.next()) != Event.END_ARRAY) {
                            require(e == Event.START_OBJECT);
                            nodes.add(node());
                        }
                    } else {
                        require(e == Event.VALUE_NULL);
                    }
                }
                default -> skip();
            }
        }
        return new NodeList(apiVersion, kind, nodes);
    }

    /** A node, at its START_OBJECT; built as {@link WireReader#node} builds it. */
    private Node node() {
        String apiVersion = null;
        String kind = null;
        ObjectMeta metadata = null;
        NodeSpec spec = NodeSpec.EMPTY;
        NodeStatus status = null;
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "apiVersion" -> {
                    seen = once(seen, 1);
                    apiVersion = string();
                }
                case "kind" -> {
                    seen = once(seen, 2);
                    kind = string();
                }
                case "metadata" -> {
                    seen = once(seen, 4);
                    require(p.next() == Event.START_OBJECT); // required: its absence is the tree reader's error
                    metadata = metadata();
                }
                case "spec" -> {
                    seen = once(seen, 8);
                    if (object()) {
                        spec = spec();
                    }
                }
                case "status" -> {
                    seen = once(seen, 16);
                    if (object()) {
                        status = status();
                    }
                }
                default -> skip();
            }
        }
        require(metadata != null);
        Node node = new Node(apiVersion, kind, metadata, spec, NodeStatus.INITIAL);
        return status == null ? node : node.withStatus(status);
    }

    private ObjectMeta metadata() {
        String name = null;
        Map<String, String> labels = Map.of();
        Map<String, String> annotations = Map.of();
        Instant createdAt = null;
        Instant updatedAt = null;
        String resourceVersion = null;
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "name" -> {
                    seen = once(seen, 1);
                    name = string();
                }
                case "labels" -> {
                    seen = once(seen, 2);
                    labels = stringMap();
                }
                case "annotations" -> {
                    seen = once(seen, 4);
                    annotations = stringMap();
                }
                case "createdAt" -> {
                    seen = once(seen, 8);
                    createdAt = JsonFields.instant(string(), "metadata.createdAt");
                }
                case "updatedAt" -> {
                    seen = once(seen, 16);
                    updatedAt = JsonFields.instant(string(), "metadata.updatedAt");
                }
                case "resourceVersion" -> {
                    seen = once(seen, 32);
                    Event e = p.next();
                    if (e == Event.VALUE_NUMBER) {
                        JsonNumber n = number(e);
                        require(n.isIntegral()); // as WireReader.resourceVersion reads it
                        resourceVersion = n.bigIntegerValue().toString();
                    } else {
                        resourceVersion = stringAt(e);
                    }
                }
                default -> skip();
            }
        }
        require(name != null);
        return new ObjectMeta(name, labels, annotations, createdAt, updatedAt, resourceVersion);
    }

    private NodeSpec spec() {
        String hostname = null;
        boolean unschedulable = false;
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "hostname" -> {
                    seen = once(seen, 1);
                    hostname = string();
                }
                case "unschedulable" -> {
                    seen = once(seen, 2);
                    Event e = p.next();
                    require(e == Event.VALUE_TRUE || e == Event.VALUE_FALSE || e == Event.VALUE_NULL);
                    unschedulable = e == Event.VALUE_TRUE;
                }
                default -> skip();
            }
        }
        return new NodeSpec(hostname, unschedulable);
    }

    private NodeStatus status() {
        String state = null;
        NetworkStatus network = NetworkStatus.EMPTY;
        ResourceList capacity = ResourceList.EMPTY;
        ResourceList allocatable = ResourceList.EMPTY;
        NodeInfo info = NodeInfo.EMPTY;
        Instant lastHeartbeat = null;
        List<Condition> conditions = List.of();
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "state" -> {
                    seen = once(seen, 1);
                    state = string();
                }
                case "network" -> {
                    seen = once(seen, 2);
                    if (object()) {
                        network = network();
                    }
                }
                case "capacity" -> {
                    seen = once(seen, 4);
                    capacity = resources("status.capacity");
                }
                case "allocatable" -> {
                    seen = once(seen, 8);
                    allocatable = resources("status.allocatable");
                }
                case "info" -> {
                    seen = once(seen, 16);
                    if (object()) {
                        info = info();
                    }
                }
                case "lastHeartbeat" -> {
                    seen = once(seen, 32);
                    lastHeartbeat = JsonFields.instant(string(), "status.lastHeartbeat");
                }
                case "conditions" -> {
                    seen = once(seen, 64);
                    conditions = conditions();
                }
                default -> skip();
            }
        }
        return new NodeStatus(state == null ? NodeState.NOT_READY : NodeState.fromWire("status.state", state),
                network, capacity, allocatable, info, lastHeartbeat, conditions, null);
    }

    private NetworkStatus network() {
        String ip = null;
        String dnsName = null;
        String mode = null;
        Integer agentPort = null;
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "ip" -> {
                    seen = once(seen, 1);
                    ip = string();
                }
                case "dnsName" -> {
                    seen = once(seen, 2);
                    dnsName = string();
                }
                case "mode" -> {
                    seen = once(seen, 4);
                    mode = string();
                }
                case "agentPort" -> {
                    seen = once(seen, 8);
                    Event e = p.next();
                    if (e != Event.VALUE_NULL) {
                        JsonNumber n = number(e);
                        agentPort = n.isIntegral() ? JsonFields.intIn(n.bigDecimalValue(), 1, 65535) : null;
                        require(agentPort != null);
                    }
                }
                default -> skip();
            }
        }
        return new NetworkStatus(ip, dnsName, mode == null ? null : NetworkMode.fromWire("status.network.mode", mode), agentPort);
    }

    private NodeInfo info() {
        String kernelVersion = null;
        String osImage = null;
        String agentVersion = null;
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "kernelVersion" -> {
                    seen = once(seen, 1);
                    kernelVersion = string();
                }
                case "osImage" -> {
                    seen = once(seen, 2);
                    osImage = string();
                }
                case "agentVersion" -> {
                    seen = once(seen, 4);
                    agentVersion = string();
                }
                default -> skip();
            }
        }
        return new NodeInfo(kernelVersion, osImage, agentVersion);
    }

    /** Capacity or allocatable, as {@link WireReader#resources} reads them (a later duplicate replaces an earlier one there too). */
    private ResourceList resources(String path) {
        if (!object()) {
            return ResourceList.EMPTY;
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
        Event e = p.next();
        if (e == Event.VALUE_NULL) {
            return List.of();
        }
        require(e == Event.START_ARRAY);
        List<Condition> out = new ArrayList<>();
        while ((e = p.next()) != Event.END_ARRAY) {
            require(e == Event.START_OBJECT);
            out.add(condition("status.conditions[" + out.size() + "]"));
        }
        return out;
    }

    private Condition condition(String at) {
        String type = null;
        String status = null;
        String reason = null;
        String message = null;
        Instant lastHeartbeatTime = null;
        Instant lastTransitionTime = null;
        int seen = 0;
        String key;
        while ((key = nextKey()) != null) {
            switch (key) {
                case "type" -> {
                    seen = once(seen, 1);
                    type = string();
                }
                case "status" -> {
                    seen = once(seen, 2);
                    status = string();
                }
                case "reason" -> {
                    seen = once(seen, 4);
                    reason = string();
                }
                case "message" -> {
                    seen = once(seen, 8);
                    message = string();
                }
                case "lastHeartbeatTime" -> {
                    seen = once(seen, 16);
                    lastHeartbeatTime = JsonFields.instant(string(), at + ".lastHeartbeatTime");
                }
                case "lastTransitionTime" -> {
                    seen = once(seen, 32);
                    lastTransitionTime = JsonFields.instant(string(), at + ".lastTransitionTime");
                }
                default -> skip();
            }
        }
        WireReader.requireTypeAndStatus(at, type, status);
        return new Condition(type, ConditionStatus.fromWire(at + ".status", status), reason, message,
                lastHeartbeatTime, lastTransitionTime);
    }

    /** Labels or annotations, as {@link JsonFields#stringMap} reads them. */
    private Map<String, String> stringMap() {
        if (!object()) {
            return Map.of();
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
        Event e = p.next();
        if (e == Event.START_OBJECT) {
            return true;
        }
        require(e == Event.VALUE_NULL);
        return false;
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

    private static int once(int seen, int bit) {
        require((seen & bit) == 0); // the tree keeps the last of a duplicate: left to the tree reader
        return seen | bit;
    }

    private static void require(boolean usual) {
        if (!usual) {
            throw UNUSUAL;
        }
    }
}
