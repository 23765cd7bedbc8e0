package dev.cara.sdk;

import jakarta.json.JsonObject;
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
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON-B instance behind {@link CaraJson#jsonb()}: Yasson, with a serializer and a deserializer
 * for each model type that run the wire format's own writer and reader. JSON-B finds the type a
 * (de)serializer handles from its class's type argument, so each is an anonymous subclass that
 * names it.
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
                .withSerializers(
                        new Writes<Node>(WireWriter::node) { },
                        new Writes<NodeList>(WireWriter::nodeList) { },
                        new Writes<WatchEvent>(WireWriter::watchEvent) { },
                        new Writes<Problem>(WireWriter::problem) { },
                        new Writes<HeartbeatReport>(WireWriter::heartbeat) { })
                .withDeserializers(
                        new Reads<Node>(WireReader::node) { },
                        new Reads<NodeList>(WireReader::nodeList) { },
                        new Reads<WatchEvent>(WireReader::watchEvent) { },
                        new Reads<Problem>(WireReader::problem) { },
                        new Reads<HeartbeatReport>(WireReader::heartbeat) { }));
    }

    private abstract static class Writes<T> implements JsonbSerializer<T> {
        private final BiConsumer<JsonGenerator, T> writer;

        Writes(BiConsumer<JsonGenerator, T> writer) {
            this.writer = writer;
        }

        @Override
        public void serialize(T obj, JsonGenerator g, SerializationContext ctx) {
            writer.accept(g, obj);
        }
    }

    private abstract static class Reads<T> implements JsonbDeserializer<T> {
        private final Function<JsonObject, T> reader;

        Reads(Function<JsonObject, T> reader) {
            this.reader = reader;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return reader.apply(parser.getObject());
        }
    }
}
