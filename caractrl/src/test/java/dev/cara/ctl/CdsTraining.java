package dev.cara.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.Problem;
import dev.cara.sdk.VersionInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Build step (see train-cds.sh): runs the real launcher once against a canned server, so that the
 * JVM records the classes of a typical {@code get nodes} in the launcher's class-data archive. It
 * doubles as a smoke test of the launcher: the build fails if the run does not print the nodes.
 */
public final class CdsTraining {
    /** Nodes as a server returns them: one healthy and heartbeating, one draining. */
    static final String NODE_LIST = """
            {"apiVersion":"caravanserai/v1","kind":"NodeList","items":[
             {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"worker-01","labels":{"env":"prod"},
              "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","resourceVersion":"1"},
              "spec":{"hostname":"worker-01","unschedulable":false},
              "status":{"state":"Ready","network":{"ip":"10.0.0.1","mode":"Direct","agentPort":9090},
               "capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"},
               "info":{"kernelVersion":"6.1","osImage":"Debian","agentVersion":"0.1.0"},
               "lastHeartbeat":"2026-01-01T00:00:00Z",
               "conditions":[{"type":"Ready","status":"True","reason":"AgentHeartbeating",
                 "lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"},
                {"type":"MemoryPressure","status":"False","lastTransitionTime":"2026-01-01T00:00:00Z"}]}},
             {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"worker-02",
              "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","resourceVersion":"2"},
              "spec":{"unschedulable":true},
              "status":{"state":"Draining","conditions":[{"type":"Unschedulable","status":"True",
               "lastTransitionTime":"2026-01-01T00:00:00Z"}]}}]}
            """;

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path launcher = Path.of(args[0]);
        // Round-trip through the codec: the canned answer is exactly what a real server would send.
        byte[] list = CaraJson.toJson(CaraJson.parseNodeList(NODE_LIST)).getBytes(StandardCharsets.UTF_8);
        // The run names the server "localhost", as the default server URL does; the client takes that
        // to mean the loopback address (127.0.0.1, then [::1]), so the server listens where
        // "localhost" resolves first, which is one of the two.
        // A machine whose /etc/hosts lacks "localhost" trains on the loopback address instead.
        String host = "localhost";
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            address = InetAddress.getLoopbackAddress();
            host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> answer(exchange, list));
        server.start();
        try {
            String url = "http://" + host + ":" + server.getAddress().getPort();
            Process p = new ProcessBuilder(launcher.toString(), "get", "nodes", "--server", url)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the launcher did not finish within 60 s");
            }
            if (p.exitValue() != 0 || !out.contains("worker-02   Draining")) {
                fail("the launcher's training run failed (exit " + p.exitValue() + "):\n" + out);
            }
            Path aot = launcher.resolveSibling("caractrl.aot");
            Path cache = Files.exists(aot) ? aot : launcher.resolveSibling("caractrl.jsa");
            System.out.println("caractrl: launcher works; start-up cache " + (Files.exists(cache)
                    ? "written to " + cache + " (" + Files.size(cache) / 1024 + " KiB)" : "not written (this java cannot)"));
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, byte[] list) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        int status;
        String type = "application/json";
        if ("GET".equals(exchange.getRequestMethod()) && path.equals("/api/v1/nodes")) {
            status = 200;
            body = list;
        } else if (path.equals("/api/v1/version")) {
            status = 200;
            body = CaraJson.toJson(VersionInfo.current()).getBytes(StandardCharsets.UTF_8);
        } else {
            status = 404;
            type = Problem.MEDIA_TYPE;
            body = CaraJson.toJson(new Problem("about:blank", "Not Found", 404, "no such path: " + path, path))
                    .getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        // As the cara server (Helidon) answers: the client parses this header, so the run that
        // trains the cache must see it too, or its parser's classes are loaded from the JDK each time.
        exchange.getResponseHeaders().set("Connection", "keep-alive");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    private static void fail(String message) {
        System.err.println("caractrl: " + message);
        System.exit(1);
    }
}
