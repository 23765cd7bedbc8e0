package dev.cara.sdk;

import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cara.sdk.JsonFields.STRING_RULE;

/**
 * Reads a heartbeat body from the parser's events straight into a {@link HeartbeatReport}, without
 * building a JSON-P tree: this is the server's hot path, once per heartbeat of every node.
 *
 * <p>It must agree with {@link WireReader#heartbeat} on every document, giving the same report or
 * the same error (HeartbeatStreamTest holds the two together over generated documents). The tree
 * reader sees the whole document before it checks a field, so a syntax error anywhere wins over a
 * bad field, a later duplicate key replaces an earlier one, and fields are checked in a fixed order.
 * This reader therefore keeps each field's outcome as it goes, either its value or the error that
 * reading it gave (a later duplicate replaces both), and only once the whole body has parsed does
 * {@link #report()} throw the first error in the tree reader's order.
 *
 * <p>Every number is read as a BigDecimal, even in fields it skips, since the tree reader does so and
 * refuses a body holding one that BigDecimal cannot (1e99999999999).
 *
 * <p>One instance reads one body, on the calling thread.
 */
final class HeartbeatStream {
    // The fields each object may have, in the order the tree reader checks them.
    private static final List<String> NETWORK = List.of("mode", "agentPort", "ip", "dnsName");
    private static final List<String> INFO = List.of("kernelVersion", "osImage", "agentVersion");
    private static final List<String> CONDITION = List.of("type", "status", "reason", "message",
            "lastHeartbeatTime", "lastTransitionTime");

    private final JsonParser p;

    // Each field's outcome: the value, null when absent, or the InvalidException reading it gave.
    private Object state;
    private InvalidException networkShape; // not an object: the tree reader says so before it reads conditions
    private Object network;
    private InvalidException infoShape;
    private Object info;
    private Object conditions;
    private Object capacity;
    private Object allocatable;

    private HeartbeatStream(JsonParser p) {
        this.p = p;
    }

    static HeartbeatReport read(JsonText source, String text) {
        HeartbeatStream read = null;
        try (JsonParser p = source.parser(text)) {
            if (p.hasNext() && p.next() == Event.START_OBJECT) {
                HeartbeatStream body = new HeartbeatStream(p);
                body.fields();
                if (!p.hasNext()) {
                    read = body;
                }
            }
        } catch (RuntimeException e) {
            // Not well-formed; JsonText explains why from the text, not from this exception's wording.
        }
        if (read == null) {
            throw source.explain(text);
        }
        return read.report();
    }

    /** The report, or the first error in the order the tree reader checks the fields. */
    private HeartbeatReport report() {
        String stateText = take(state);
        raise(networkShape);
        raise(infoShape);
        List<Condition> conditionList = take(conditions);
        NodeState claimed = stateText == null ? null : NodeState.fromWire("state", stateText);
        NetworkStatus net = take(network);
        ResourceList cap = take(capacity);
        ResourceList alloc = take(allocatable);
        NodeInfo facts = take(info);
        // The report itself refuses a condition type named twice (conditions[i].type).
        return new HeartbeatReport(claimed, net, cap, alloc, facts, conditionList);
    }

    /** Reads the body's fields, up to and including its END_OBJECT. */
    private void fields() {
        for (Event e = p.next(); e != Event.END_OBJECT; e = p.next()) {
            String key = p.getString();
            Event v = p.next();
            switch (key) {
                case "state" -> state = string(v, "", "state");
                case "network" -> {
                    networkShape = v == Event.START_OBJECT || v == Event.VALUE_NULL ? null : wrongType("network", "an object");
                    network = v == Event.START_OBJECT ? networkObject() : null;
                }
                case "info" -> {
                    infoShape = v == Event.START_OBJECT || v == Event.VALUE_NULL ? null : wrongType("info", "an object");
                    info = v == Event.START_OBJECT ? infoObject() : null;
                }
                case "capacity" -> capacity = resources(v, "capacity");
                case "allocatable" -> allocatable = resources(v, "allocatable");
                case "conditions" -> conditions = conditions(v);
                default -> skip(v);
            }
        }
    }

    /**
     * The outcomes of an object's fields named in {@code keys}, by their index there; other fields
     * are skipped. Every field is a string, but for {@code agentPort}.
     */
    private Object[] members(List<String> keys, String prefix) {
        Object[] out = new Object[keys.size()];
        for (Event e = p.next(); e != Event.END_OBJECT; e = p.next()) {
            String key = p.getString();
            Event v = p.next();
            int i = keys.indexOf(key);
            if (i < 0) {
                skip(v);
            } else {
                out[i] = "agentPort".equals(key) ? port(v) : string(v, prefix, key);
            }
        }
        return out;
    }

    private Object networkObject() {
        Object[] f = members(NETWORK, "network.");
        try {
            // The tree reader's order: mode's type, agentPort, ip, dnsName, then mode's value.
            String mode = take(f[0]);
            Integer agentPort = take(f[1]);
            String ip = take(f[2]);
            String dnsName = take(f[3]);
            return new NetworkStatus(ip, dnsName, mode == null ? null : NetworkMode.fromWire("network.mode", mode), agentPort);
        } catch (InvalidException e) {
            return e;
        }
    }

    private Object port(Event v) {
        if (v == Event.VALUE_NULL) {
            return null;
        }
        if (v == Event.VALUE_NUMBER) {
            BigDecimal n = p.getBigDecimal();
            if (n.scale() == 0) {
                Integer port = JsonFields.intIn(n, 1, 65535);
                return port != null ? port : wrongType("network.agentPort", WireReader.PORT_RULE);
            }
        }
        return wrongType("network.agentPort", WireReader.PORT_RULE + " (a number without quotes)");
    }

    private Object infoObject() {
        Object[] f = members(INFO, "info.");
        try {
            return new NodeInfo(take(f[0]), take(f[1]), take(f[2]));
        } catch (InvalidException e) {
            return e;
        }
    }

    /** A resource map; each amount is a Quantity or its error, in the order the body first names them. */
    private Object resources(Event v, String path) {
        if (v == Event.VALUE_NULL) {
            return null;
        }
        if (v != Event.START_OBJECT) {
            return wrongType(path, "an object");
        }
        Map<String, Object> amounts = new LinkedHashMap<>();
        for (Event e = p.next(); e != Event.END_OBJECT; e = p.next()) {
            String name = p.getString();
            Event a = p.next();
            Object amount;
            try {
                amount = switch (a) {
                    case VALUE_STRING -> WireReader.quantity(p.getString(), path, name);
                    // Not via toPlainString(): 1e999999999 would expand to a billion digits.
                    case VALUE_NUMBER -> Quantity.ofJsonNumber(p.getBigDecimal(), path + "." + name);
                    default -> wrongType(path + "." + name, WireReader.QUANTITY_RULE);
                };
            } catch (InvalidException bad) {
                amount = bad;
            }
            amounts.put(name, amount);
        }
        for (Object amount : amounts.values()) {
            if (amount instanceof InvalidException bad) {
                return bad;
            }
        }
        @SuppressWarnings("unchecked") // every value is a Quantity: the loop above returned on anything else
        Map<String, Quantity> quantities = (Map<String, Quantity>) (Map<String, ?>) amounts;
        return ResourceList.of(quantities);
    }

    private Object conditions(Event v) {
        if (v == Event.VALUE_NULL) {
            return null;
        }
        if (v != Event.START_ARRAY) {
            return wrongType("conditions", "an array");
        }
        List<Condition> list = new ArrayList<>();
        InvalidException first = null;
        int i = 0;
        for (Event e = p.next(); e != Event.END_ARRAY; e = p.next(), i++) {
            if (first != null) {
                skip(e);
            } else if (e != Event.START_OBJECT) {
                first = wrongType("conditions[" + i + "]", WireReader.CONDITION_RULE);
            } else {
                Object c = condition("conditions[" + i + "]");
                if (c instanceof InvalidException bad) {
                    first = bad;
                } else {
                    list.add((Condition) c);
                }
            }
        }
        return first != null ? first : list;
    }

    /** One condition object: the Condition, or the error the tree reader would give for it. */
    private Object condition(String at) {
        String prefix = at + ".";
        Object[] f = members(CONDITION, prefix);
        try {
            String type = take(f[0]);
            String status = take(f[1]);
            WireReader.requireTypeAndStatus(at, type, status);
            return new Condition(type, ConditionStatus.fromWire(prefix + "status", status), take(f[2]), take(f[3]),
                    JsonFields.instant((String) take(f[4]), prefix + "lastHeartbeatTime"),
                    JsonFields.instant((String) take(f[5]), prefix + "lastTransitionTime"));
        } catch (InvalidException e) {
            return e;
        }
    }

    /** A string field's value, null for JSON null, or the error for any other value. */
    private Object string(Event v, String prefix, String key) {
        return switch (v) {
            case VALUE_STRING -> p.getString();
            case VALUE_NULL -> null;
            default -> wrongType(prefix + key, STRING_RULE);
        };
    }

    /**
     * The error for the value at the current event, shown as the tree reader shows it. Reading the
     * value consumes it, up to its END_OBJECT or END_ARRAY if it is one.
     */
    private InvalidException wrongType(String path, String rule) {
        return JsonFields.wrongType(path, p.getValue(), rule);
    }

    /** Reads past the value that starts with {@code first}, checking it as the tree reader would. */
    private void skip(Event first) {
        int depth = 0;
        Event e = first;
        while (true) {
            switch (e) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_NUMBER -> p.getBigDecimal();
                default -> {
                }
            }
            if (depth == 0) {
                return;
            }
            e = p.next();
        }
    }

    private static void raise(InvalidException error) {
        if (error != null) {
            throw error;
        }
    }

    @SuppressWarnings("unchecked") // each field holds its type or the InvalidException that reading it gave
    private static <T> T take(Object outcome) {
        if (outcome instanceof InvalidException e) {
            throw e;
        }
        return (T) outcome;
    }
}
