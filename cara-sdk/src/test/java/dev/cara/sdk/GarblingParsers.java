package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Parsers that behave exactly like the real ones, except that every exception they throw carries a
 * message of its own and, where that is not part of the contract, another class: as if another
 * JSON-P implementation, or another Parsson version, had parsed the body. A JsonParsingException
 * keeps its location, since that is API. Counts what it garbled, so a test can tell it did.
 */
final class GarblingParsers implements JsonParserFactory {
    private final JsonParserFactory real = JsonProvider.provider().createParserFactory(Map.of());
    final AtomicInteger garbled = new AtomicInteger();

    @Override
    public JsonParser createParser(Reader reader) {
        return new Parser(real.createParser(reader));
    }

    @Override
    public JsonParser createParser(InputStream in) {
        return new Parser(real.createParser(in));
    }

    @Override
    public JsonParser createParser(InputStream in, Charset charset) {
        return new Parser(real.createParser(in, charset));
    }

    @Override
    public JsonParser createParser(JsonObject obj) {
        return new Parser(real.createParser(obj));
    }

    @Override
    public JsonParser createParser(JsonArray array) {
        return new Parser(real.createParser(array));
    }

    @Override
    public Map<String, ?> getConfigInUse() {
        return real.getConfigInUse();
    }

    private RuntimeException garble(RuntimeException e) {
        garbled.incrementAndGet();
        String message = "garbled #" + garbled.get() + ": Unexpected char 65 at (line no=9, column no=9, offset=9)";
        if (e instanceof JsonParsingException p) {
            return new JsonParsingException(message, p.getLocation());
        }
        if (e instanceof JsonException) {
            return new JsonException(message);
        }
        if (e instanceof NumberFormatException) {
            return new ArithmeticException(message);
        }
        return new IllegalStateException(message);
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw garble(e);
        }
    }

    private final class Parser implements JsonParser {
        private final JsonParser p;

        Parser(JsonParser p) {
            this.p = p;
        }

        @Override
        public boolean hasNext() {
            return call(p::hasNext);
        }

        @Override
        public Event next() {
            return call(p::next);
        }

        @Override
        public Event currentEvent() {
            return call(p::currentEvent);
        }

        @Override
        public String getString() {
            return call(p::getString);
        }

        @Override
        public boolean isIntegralNumber() {
            return call(p::isIntegralNumber);
        }

        @Override
        public int getInt() {
            return call(p::getInt);
        }

        @Override
        public long getLong() {
            return call(p::getLong);
        }

        @Override
        public BigDecimal getBigDecimal() {
            return call(p::getBigDecimal);
        }

        @Override
        public JsonLocation getLocation() {
            return p.getLocation();
        }

        @Override
        public JsonObject getObject() {
            return call(p::getObject);
        }

        @Override
        public JsonValue getValue() {
            return call(p::getValue);
        }

        @Override
        public JsonArray getArray() {
            return call(p::getArray);
        }

        @Override
        public Stream<JsonValue> getArrayStream() {
            return call(p::getArrayStream);
        }

        @Override
        public Stream<Map.Entry<String, JsonValue>> getObjectStream() {
            return call(p::getObjectStream);
        }

        @Override
        public Stream<JsonValue> getValueStream() {
            return call(p::getValueStream);
        }

        @Override
        public void skipArray() {
            call(() -> {
                p.skipArray();
                return null;
            });
        }

        @Override
        public void skipObject() {
            call(() -> {
                p.skipObject();
                return null;
            });
        }

        @Override
        public void close() {
            call(() -> {
                p.close();
                return null;
            });
        }
    }
}
