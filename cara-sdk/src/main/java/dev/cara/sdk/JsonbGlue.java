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
 * (de)serializer handles from its class's type argument, so each codec is an anonymous subclass
 * that names it, registered in both directions.
 */
final class JsonbGlue {
    private JsonbGlue() {
    }

    /** Built on first use: creating a Jsonb costs tens of milliseconds, and the codec does not need it. */
    static Jsonb jsonb() {
        return Holder.JSONB;
    }

    private static final class Holder {
        private static final Codec<?>[] CODECS = {
                new Codec<Node>(WireWriter::node, WireReader::node) { },
                new Codec<NodeList>(WireWriter::nodeList, WireReader::nodeList) { },
                new Codec<WatchEvent>(WireWriter::watchEvent, WireReader::watchEvent) { },
                new Codec<Problem>(WireWriter::problem, WireReader::problem) { },
                new Codec<HeartbeatReport>(WireWriter::heartbeat, WireReader::heartbeat) { },
        };
        static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
                .withSerializers(CODECS)
                .withDeserializers(CODECS));
    }

    /** Both directions for one model type: the wire format's writer and reader for it. Stateless. */
    private abstract static class Codec<T> implements JsonbSerializer<T>, JsonbDeserializer<T> {
        private final BiConsumer<JsonGenerator, T> writer;
        private final Function<JsonObject, T> reader;

        Codec(BiConsumer<JsonGenerator, T> writer, Function<JsonObject, T> reader) {
            this.writer = writer;
            this.reader = reader;
        }

        @Override
        public void serialize(T obj, JsonGenerator g, SerializationContext ctx) {
            writer.accept(g, obj);
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            return reader.apply(parser.getObject());
        }
    }
}
