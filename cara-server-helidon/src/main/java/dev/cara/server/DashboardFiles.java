package dev.cara.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's static files at {@code /ui/}, read from this module's resources
 * ({@code dev/cara/server/ui/}): plain HTML, CSS and ES modules, nothing built at run time. A tiny
 * handler instead of Helidon's static-content feature, which is not among this build's dependencies:
 * only flat file names from a fixed set of types are served, so no path can climb out of the folder.
 *
 * <p>Every answer carries an ETag (a hash of the content) and {@code Cache-Control: no-cache}: the
 * browser revalidates on each load and gets a 304 without a body when nothing changed, so a new
 * server version shows at once. The files are public: the data behind them is what needs a token.
 *
 * <p>State: {@code files}, a cache of resources read once; they never change while the process runs.
 */
final class DashboardFiles {
    static final String UI = "/ui";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|png|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml");

    private record File(byte[] content, String type, String etag) {
    }

    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

    void register(HttpRouting.Builder routing) {
        routing.route(Method.GET, UI, (req, res) -> res.status(Status.MOVED_PERMANENTLY_301)
                .header(HeaderNames.LOCATION, UI + "/").send());
        NodesApi.readOnly(routing, UI + "/*", this::file);
    }

    private void file(ServerRequest req, ServerResponse res) {
        String path = req.prologue().uriPath().rawPath();
        String name = path.substring(UI.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        Optional<File> file = NAME.matcher(name).matches() ? files.computeIfAbsent(name, DashboardFiles::load) : Optional.empty();
        if (file.isEmpty()) {
            HttpProblems.send(req, res, 404, "no such dashboard file: " + path + "; the dashboard starts at " + UI + "/", path);
            return;
        }
        File f = file.get();
        res.header(HeaderNames.ETAG, f.etag());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Content-Type-Options", "nosniff");
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(f.etag()::equals).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, f.type());
        Responses.send(req, res, f.content());
    }

    private static Optional<File> load(String name) {
        try (InputStream in = DashboardFiles.class.getResourceAsStream("ui/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] content = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return Optional.of(new File(content, type, "\"" + sha256(content).substring(0, 16) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the dashboard file " + name + " from the server's jar", e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
