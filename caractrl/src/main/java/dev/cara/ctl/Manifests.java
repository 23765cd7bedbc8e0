package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.InvalidException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads manifests for {@code apply}: YAML or JSON, several documents per file, files, whole
 * directories, or standard input ({@code -}). A document whose kind is {@code NodeList},
 * {@code ProjectList} or {@code List} contributes each of its items. Node and Project documents may
 * be mixed in one file: {@link #parseAll} tells them apart by kind ({@link CaraJson#parseAnyManifest}).
 * A YAML document becomes the JSON the SDK's readers take, keeping its types, so YAML and JSON
 * manifests are read by the same strict rules.
 *
 * <p>Every error names the file, the document (counted from 1, as an editor shows them) and the
 * field, so that the operator can go straight to the line: {@code nodes.yaml: document 2:
 * spec.unschedulable: "yes" is invalid: must be a boolean (true or false, without quotes)}.
 */
final class Manifests {
    static final String STDIN = "-";
    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");
    private static final List<String> LIST_KINDS = List.of("NodeList", "ProjectList", "List");

    /**
     * One manifest of either kind and where it came from.
     *
     * @param source   the file, or {@code -}
     * @param document its position in the file, from 1
     * @param manifest the manifest, validated
     */
    record Resource(String source, int document, dev.cara.sdk.Manifest manifest) {
    }

    private Manifests() {
    }

    /** Reads every manifest the arguments name, in order; any error stops the whole read. */
    static List<Resource> read(List<String> arguments, boolean recursive, InputStream stdin) {
        List<Resource> out = new ArrayList<>();
        for (String arg : arguments) {
            if (STDIN.equals(arg)) {
                out.addAll(parseAll(STDIN, readAll(stdin)));
                continue;
            }
            Path path = Path.of(arg);
            if (Files.isDirectory(path)) {
                List<Path> files = manifestFiles(path, recursive);
                if (files.isEmpty()) {
                    throw new CtlException.Manifest(arg, "the directory holds no .yaml, .yml or .json files");
                }
                for (Path f : files) {
                    out.addAll(parseAll(f.toString(), readFile(f)));
                }
            } else {
                out.addAll(parseAll(arg, readFile(path)));
            }
        }
        return out;
    }

    private static List<Path> manifestFiles(Path dir, boolean recursive) {
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.stream().anyMatch(p.getFileName().toString().toLowerCase(Locale.ROOT)::endsWith))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new CtlException.Manifest(dir.toString(), "the directory cannot be read: " + e.getMessage());
        }
    }

    private static String readFile(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CtlException.Manifest(path.toString(), "no such file or directory");
        } catch (IOException | UncheckedIOException e) {
            throw new CtlException.Manifest(path.toString(), "cannot be read: " + e.getMessage());
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CtlException.Manifest(STDIN, "standard input cannot be read: " + e.getMessage());
        }
    }

    /** The manifests of every kind in one file's text, in order. */
    static List<Resource> parseAll(String source, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String body = text.stripLeading();
        List<JsonValue> documents = body.startsWith("{") || body.startsWith("[") ? jsonDocuments(source, text, text.length() - body.length()) : yamlDocuments(source, text);
        List<Resource> out = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            int document = i + 1;
            JsonValue doc = documents.get(i);
            if (doc == null || doc == JsonValue.NULL) {
                continue; // an empty document, such as the one after a trailing ---
            }
            if (doc instanceof JsonArray items) {
                addItems(out, source, document, items, "");
            } else if (doc instanceof JsonObject o && isList(o)) {
                JsonValue items = o.get("items");
                if (!(items instanceof JsonArray a)) {
                    throw new CtlException.Manifest(source, document, "items is required: a list of Node or Project manifests");
                }
                addItems(out, source, document, a, "items");
            } else if (doc instanceof JsonObject o) {
                out.add(new Resource(source, document, manifest(source, document, o, "")));
            } else {
                throw new CtlException.Manifest(source, document, "a manifest must be a mapping (a Node or a Project), not " + doc);
            }
        }
        if (out.isEmpty()) {
            throw new CtlException.Manifest(source, "no manifests found: the file is empty");
        }
        return out;
    }

    private static boolean isList(JsonObject o) {
        return o.get("kind") instanceof JsonString k && LIST_KINDS.contains(k.getString());
    }

    private static void addItems(List<Resource> out, String source, int document, JsonArray items, String path) {
        for (int j = 0; j < items.size(); j++) {
            String at = path + "[" + j + "]";
            if (!(items.get(j) instanceof JsonObject item)) {
                throw new CtlException.Manifest(source, document, at + ": must be a Node or Project manifest (a mapping)");
            }
            out.add(new Resource(source, document, manifest(source, document, item, at + ".")));
        }
    }

    private static dev.cara.sdk.Manifest manifest(String source, int document, JsonObject json, String prefix) {
        try {
            dev.cara.sdk.Manifest m = CaraJson.parseAnyManifest(json.toString());
            switch (m) {
                case dev.cara.sdk.Manifest.OfNode n -> n.node().validate();
                case dev.cara.sdk.Manifest.OfProject p -> p.project().validate();
            }
            return m;
        } catch (InvalidException e) {
            throw new CtlException.Manifest(source, document, prefix + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ JSON

    /** One or more JSON values, one after another (concatenated or one a line), from {@code start} on. */
    private static List<JsonValue> jsonDocuments(String source, String text, int start) {
        List<JsonValue> out = new ArrayList<>();
        String rest = text.substring(start);
        while (!rest.isBlank()) {
            String before = text.substring(0, text.length() - rest.length());
            int document = out.size() + 1;
            try (JsonParser parser = Json.createParser(new StringReader(rest))) {
                JsonParser.Event first = parser.next();
                JsonValue value = switch (first) {
                    case START_OBJECT -> parser.getObject();
                    case START_ARRAY -> parser.getArray();
                    default -> throw new CtlException.Manifest(source, document, "expected a JSON object, found " + first);
                };
                out.add(value);
                // The parser refuses data after one value, so each value gets a parser of its own.
                long consumed = parser.getLocation().getStreamOffset();
                rest = rest.substring((int) Math.min(consumed, rest.length()));
            } catch (JsonException e) {
                // Not e.getMessage(): that is the parser's own wording, which changes between versions (issue 15).
                throw new CtlException.Manifest(source, document, syntaxError(before, rest));
            }
        }
        return out;
    }

    /**
     * The SDK's words for what is wrong with the document that starts {@code rest}, its line and
     * column counted in the whole file: the documents before it stand in as blanks, lines kept.
     */
    private static String syntaxError(String before, String rest) {
        StringBuilder blanked = new StringBuilder(before.length() + rest.length());
        for (int i = 0; i < before.length(); i++) {
            char c = before.charAt(i);
            blanked.append(c == '\n' || c == '\r' ? c : ' ');
        }
        return CaraJson.syntaxError(blanked.append(rest).toString()).orElse("malformed JSON");
    }

    // ------------------------------------------------------------------ YAML

    private static List<JsonValue> yamlDocuments(String source, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<JsonValue> out = new ArrayList<>();
        Iterator<Object> it = yaml.loadAll(text).iterator();
        while (true) {
            int document = out.size() + 1;
            Object doc;
            try {
                if (!it.hasNext()) {
                    break;
                }
                doc = it.next();
            } catch (MarkedYAMLException e) {
                throw new CtlException.Manifest(source, document, "malformed YAML" + at(e.getProblemMark()) + ": "
                        + oneLine(e.getProblem()));
            } catch (YAMLException e) {
                throw new CtlException.Manifest(source, document, "malformed YAML: " + oneLine(e.getMessage()));
            }
            out.add(doc == null ? JsonValue.NULL : toJson(source, document, doc, ""));
        }
        return out;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** A YAML tree as JSON, keeping the YAML's types, so that the wire codec's strict checks apply. */
    private static JsonValue toJson(String source, int document, Object value, String path) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder b = Json.createObjectBuilder();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new CtlException.Manifest(source, document, (path.isEmpty() ? "" : path + ": ")
                            + "the key " + e.getKey() + " must be a string");
                }
                b.add(key, toJson(source, document, e.getValue(), path.isEmpty() ? key : path + "." + key));
            }
            return b.build();
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder b = Json.createArrayBuilder();
            for (int i = 0; i < list.size(); i++) {
                b.add(toJson(source, document, list.get(i), path + "[" + i + "]"));
            }
            return b.build();
        }
        if (value instanceof String s) {
            return Json.createValue(s);
        }
        if (value instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long) {
            return Json.createValue(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return Json.createValue(big);
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return Json.createValue(BigDecimal.valueOf(d));
        }
        if (value instanceof Date date) {
            // An unquoted timestamp: give it back as the RFC 3339 text the wire format uses.
            return Json.createValue(date.toInstant().toString());
        }
        throw new CtlException.Manifest(source, document, path + ": " + value + " is not a value a manifest can hold"
                + " (use strings, numbers, booleans, lists and mappings)");
    }
}
