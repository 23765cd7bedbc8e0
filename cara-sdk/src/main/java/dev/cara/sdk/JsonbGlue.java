package dev.cara.sdk;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;

import java.lang.reflect.Type;

/**
 * The JSON-B instance behind {@link CaraJson#jsonb()}: Yasson, with a serializer and a deserializer
 * for each model type that run the wire format's own writer and reader. JSON-B finds a
 * (de)serializer's type from its class's type argument, so each is a concrete class.
 */
final class JsonbGlue {
    private JsonbGlue() {
    }

    /** Built on first use: creating a Jsonb costs tens of milliseconds, and the codec does not need it. */
    static Jsonb jsonb() {
        return Holder.JSONB;
    }

    private static final class Holder {
        static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
                .withSerializers(new NodeSerializer(), new NodeListSerializer(), new WatchEventSerializer(),
                        new ProblemSerializer(), new HeartbeatSerializer())
                .withDeserializers(new NodeDeserializer(), new NodeListDeserializer(), new WatchEventDeserializer(),
                        new ProblemDeserializer(), new HeartbeatDeserializer()));
    }

    private static final class NodeSerializer implements JsonbSerializer<Node> {
        @Override
        public void serialize(Node obj, JsonGenerator g, SerializationContext ctx) {
            WireWriter.node(g, obj);
        }
    }

    private static final class NodeListSerializer implements JsonbSerializer<NodeList> {
        @Override
        public void serialize(NodeList obj, JsonGenerator g, SerializationContext ctx) {
            WireWriter.nodeList(g, obj);
        }
    }

    private static final class WatchEventSerializer implements JsonbSerializer<WatchEvent> {
        @Override
        public void serialize(WatchEvent obj, JsonGenerator g, SerializationContext ctx) {
            WireWriter.watchEvent(g, obj);
        }
    }

    private static final class ProblemSerializer implements JsonbSerializer<Problem> {
        @Override
        public void serialize(Problem obj, JsonGenerator g, SerializationContext ctx) {
            WireWriter.problem(g, obj);
        }
    }

    private static final class HeartbeatSerializer implements JsonbSerializer<HeartbeatReport> {
        @Override
        public void serialize(HeartbeatReport obj, JsonGenerator g, SerializationContext ctx) {
            WireWriter.heartbeat(g, obj);
        }
    }

    private static final class NodeDeserializer implements JsonbDeserializer<Node> {
        @Override
        public Node deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return WireReader.node(parser.getObject());
        }
    }

    private static final class NodeListDeserializer implements JsonbDeserializer<NodeList> {
        @Override
        public NodeList deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return WireReader.nodeList(parser.getObject());
        }
    }

    private static final class WatchEventDeserializer implements JsonbDeserializer<WatchEvent> {
        @Override
        public WatchEvent deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return WireReader.watchEvent(parser.getObject());
        }
    }

    private static final class ProblemDeserializer implements JsonbDeserializer<Problem> {
        @Override
        public Problem deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return WireReader.problem(parser.getObject());
        }
    }

    private static final class HeartbeatDeserializer implements JsonbDeserializer<HeartbeatReport> {
        @Override
        public HeartbeatReport deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return WireReader.heartbeat(parser.getObject());
        }
    }
}
