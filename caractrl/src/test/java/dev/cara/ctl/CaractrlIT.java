package dev.cara.ctl;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.testkit.Ports;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.testkit.JsonTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real launcher ({@code target/caractrl}) against a real {@code cara-server} process: every
 * command, every output format, the exit codes, and apply on a multi-document file.
 */
class CaractrlIT {
    static final Path EXAMPLES = Path.of(System.getProperty("caractrl.manifests", "../examples/manifests"));
    static final Path SERVER_JAR = Path.of(System.getProperty("cara.server.jar",
            "../cara-server-helidon/target/cara-server.jar"));

    static Processes.Server server;
    static CaraClient api;
    @TempDir
    static Path home;

    @BeforeAll
    static void startServer() throws Exception {
        server = new Processes.Server(SERVER_JAR);
        api = CaraClient.http(java.net.URI.create(server.url));
    }

    @AfterAll
    static void stopServer() throws Exception {
        Processes.closeAll(api, server);
    }

    static Processes.Run ctl(String... args) throws Exception {
        return ctlWithInput("", args);
    }

    static Processes.Run ctlWithInput(String stdin, String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--server";
        full[1] = server.url;
        System.arraycopy(args, 0, full, 2, args.length);
        return Processes.caractrl(home, stdin, full);
    }

    private static void heartbeat(String name) {
        api.heartbeat(name, new HeartbeatReport(NodeState.READY,
                new NetworkStatus("10.1.0.7", null, NetworkMode.DIRECT, 9090),
                ResourceList.parse(Map.of("cpu", "8", "memory", "16Gi")),
                ResourceList.parse(Map.of("cpu", "7500m", "memory", "15Gi")),
                new NodeInfo("6.1.0", "Debian GNU/Linux 12", "0.1.0"), List.of()));
    }

    @Test
    void applyAMultiDocumentFileThenEveryOutputFormat() throws Exception {
        Processes.Run apply = ctl("apply", "-f", EXAMPLES.resolve("fleet.yaml").toString());
        assertEquals(0, apply.code(), apply::toString);
        assertEquals("node/worker-02 created\nnode/worker-03 created\nnode/gpu-01 created\n", apply.out());
        assertEquals("node/worker-02 unchanged\nnode/worker-03 unchanged\nnode/gpu-01 unchanged\n",
                ctl("apply", "-f", EXAMPLES.resolve("fleet.yaml").toString()).out());
        heartbeat("worker-02");

        Processes.Run table = ctl("get", "nodes", "worker-02", "worker-03", "gpu-01");
        assertEquals(0, table.code(), table::toString);
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).matches("NAME {8}STATE {6}CONDITIONS {6}AGE"), lines.get(0));
        assertTrue(lines.get(1).matches("worker-02   Ready      Healthy +\\d+s"), lines.get(1));
        assertTrue(lines.get(2).matches("worker-03   NotReady   Healthy +\\d+s"), lines.get(2));
        assertTrue(lines.get(3).matches("gpu-01      Draining   Unschedulable +\\d+s"), lines.get(3));

        Processes.Run wide = ctl("get", "nodes", "worker-02", "-o", "wide");
        assertTrue(wide.out().lines().toList().get(1).matches(
                "worker-02 +Ready +Healthy +\\d+s +10\\.1\\.0\\.7 +9090 +8 +16Gi +0\\.1\\.0 +\\d+s"), wide::toString);

        Processes.Run json = ctl("get", "nodes", "worker-02", "-o", "json");
        assertEquals(0, json.code(), json::toString);
        assertEquals(JsonTrees.object(CaraJson.toJson(api.get("worker-02"))), JsonTrees.object(json.out()));

        Processes.Run list = ctl("get", "nodes", "-l", "env=prod", "-o", "json");
        NodeList parsed = CaraJson.parseNodeList(list.out());
        assertEquals(api.list(dev.cara.sdk.LabelSelector.parse("env=prod")), parsed);

        Processes.Run yaml = ctl("get", "nodes", "gpu-01", "-o", "yaml");
        assertEquals(JsonTrees.object(CaraJson.toJson(api.get("gpu-01"))), GetNodesTest.yamlAsJson(yaml.out()));

        Processes.Run names = ctl("get", "nodes", "-l", "env in (prod,staging)", "-o", "name");
        assertTrue(names.out().contains("node/worker-02\n") && names.out().contains("node/worker-03\n")
                && names.out().contains("node/gpu-01\n"), names::toString);
    }

    @Test
    void describeShowsTheWholeNode() throws Exception {
        api.register(Node.builder("desc-01").label("role", "db").hostname("desc-01.lan").build());
        heartbeat("desc-01");
        Processes.Run r = ctl("describe", "node", "desc-01");
        assertEquals(0, r.code(), r::toString);
        for (String expected : List.of("Name:             desc-01\n", "Labels:           role=db\n", "  Hostname:       desc-01.lan\n",
                "  State:          Ready\n", "  IP:             10.1.0.7\n", "  Agent Port:     9090\n", "Capacity:\n  cpu:            8\n",
                "  memory:         15Gi\n", "  Agent Version:  0.1.0\n", "  TYPE            STATUS   REASON")) {
            assertTrue(r.out().contains(expected), () -> "missing <" + expected + "> in\n" + r.out());
        }
    }

    @Test
    void drainCheckUndrainAndDelete() throws Exception {
        Processes.Run created = ctl("apply", "-f", EXAMPLES.resolve("node.yaml").toString());
        assertEquals("node/worker-01 created\n", created.out(), created::toString);
        heartbeat("worker-01");
        assertEquals(NodeState.READY, api.get("worker-01").state());

        assertEquals("node/worker-01 configured\n", ctl("apply", "-f", EXAMPLES.resolve("worker-01-drain.yaml").toString()).out());
        assertTrue(ctl("get", "nodes", "worker-01").out().contains("worker-01   Draining   Unschedulable"));
        assertEquals("node/worker-01 configured\n", ctl("apply", "-f", EXAMPLES.resolve("worker-01-undrain.yaml").toString()).out());
        assertEquals(NodeState.READY, api.get("worker-01").state());

        assertEquals("node/worker-01 cordoned\n", ctl("cordon", "worker-01").out());
        assertEquals(NodeState.DRAINING, api.get("worker-01").state());
        assertEquals("node/worker-01 already cordoned\n", ctl("cordon", "worker-01").out());
        assertEquals("node/worker-01 uncordoned\n", ctl("uncordon", "worker-01").out());
        assertEquals(NodeState.READY, api.get("worker-01").state());

        Processes.Run delete = ctl("delete", "node", "worker-01");
        assertEquals(0, delete.code(), delete::toString);
        assertEquals("node \"worker-01\" deleted\n", delete.out());
        Processes.Run gone = ctl("get", "nodes", "worker-01");
        assertEquals(1, gone.code());
        assertEquals("Error: node \"worker-01\" not found\n", gone.err());
    }

    @Test
    void applyFromStandardInputInJson() throws Exception {
        Processes.Run r = ctlWithInput("""
                {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"stdin-01"}}
                {"apiVersion":"caravanserai/v1","kind":"Node","metadata":{"name":"stdin-02"},"spec":{"unschedulable":true}}
                """, "apply", "-f", "-");
        assertEquals(0, r.code(), r::toString);
        assertEquals("node/stdin-01 created\nnode/stdin-02 created\n", r.out());
        assertEquals(NodeState.DRAINING, api.get("stdin-02").state());
    }

    @Test
    void exitCodesAndMessages() throws Exception {
        Processes.Run missing = ctl("describe", "node", "no-such-node");
        assertEquals(1, missing.code());
        assertEquals("Error: node \"no-such-node\" not found\n", missing.err());

        Processes.Run bad = ctlWithInput("apiVersion: caravanserai/v1\nkind: Node\nmetadata: {name: Bad_Name}\n", "apply", "-f", "-");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("Error: -: document 1: metadata.name: \"Bad_Name\" is invalid"), bad::toString);

        Processes.Run usage = ctl("get", "nodes", "-o", "xml");
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("Error: "), usage::toString);

        try (java.net.Socket closed = Ports.closedPort()) {
            String nowhere = "http://127.0.0.1:" + closed.getLocalPort();
            Processes.Run down = Processes.caractrl(home, "", "get", "nodes", "--server", nowhere);
            assertEquals(3, down.code(), down::toString);
            assertTrue(down.err().startsWith("Error: cannot reach the cara server at " + nowhere), down.err());
            assertEquals(1, down.err().lines().count(), "one line, no stack trace: " + down.err());
        }
    }

    @Test
    void versionAndCompletion() throws Exception {
        Processes.Run v = ctl("version");
        assertEquals(0, v.code(), v::toString);
        assertTrue(v.out().matches("Client Version: .*\nServer Version: .* at " + java.util.regex.Pattern.quote(server.url) + "\n"), v.out());
        Processes.Run bash = ctl("completion", "bash");
        assertEquals(0, bash.code());
        assertTrue(bash.out().contains("complete -F _complete_caractrl"));
    }

    @Test
    void theJarRunsWithJavaDashJarOnItsOwn() throws Exception {
        // Self-contained: a copy of the jar in a directory of its own reads and writes JSON and YAML
        // (SnakeYAML keeps classes for newer Javas under META-INF/versions, which the copy must keep).
        api.register(Node.builder("jar-01").label("jar", "yes").build());
        Path alone = Files.createTempDirectory(home, "jar-alone");
        Path jar = Files.copy(Processes.launcher().resolveSibling("caractrl.jar"), alone.resolve("caractrl.jar"));
        Path manifest = Files.writeString(alone.resolve("jar-02.yaml"), """
                apiVersion: caravanserai/v1
                kind: Node
                metadata: {name: jar-02, labels: {jar: "yes"}}
                spec: {hostname: jar-02.lan}
                """);
        assertEquals("node/jar-02 created\n", javaDashJar(jar, "apply", "-f", manifest.toString()));
        String yaml = javaDashJar(jar, "get", "nodes", "-l", "jar=yes", "-o", "yaml");
        assertTrue(yaml.startsWith("apiVersion: caravanserai/v1\nkind: NodeList\n"), yaml);
        assertTrue(yaml.contains("name: jar-01") && yaml.contains("name: jar-02") && yaml.contains("hostname: jar-02.lan"), yaml);
        assertEquals(List.of("jar-01", "jar-02"), CaraJson.parseNodeList(javaDashJar(jar, "get", "nodes", "-l", "jar=yes", "-o", "json"))
                .items().stream().map(Node::name).toList());
    }

    /** Runs {@code java -jar JAR ARGS --server URL}; its standard output, after checking that it exited 0. */
    private String javaDashJar(Path jar, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Processes.java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--server", server.url));
        Processes.Run run = Processes.run(new ProcessBuilder(command), "");
        assertEquals(0, run.code(), run::toString);
        return run.out();
    }

    @Test
    void watchStreamsChangesInAlignedColumns() throws Exception {
        api.register(Node.builder("watch-01").label("watch", "yes").build());
        Process p = Processes.command(home, "--server", server.url, "get", "nodes", "-w", "-l", "watch=yes").start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            Eventually.until(Duration.ofSeconds(30), () -> lines.size() >= 2, lines::toString);
            api.register(Node.builder("watch-02").label("watch", "yes").build());
            Node w1 = api.get("watch-01");
            api.update(w1.withSpec(w1.spec().withUnschedulable(true)));
            Eventually.until(Duration.ofSeconds(30), () -> lines.stream().anyMatch(l -> l.startsWith("watch-01") && l.contains("Draining")),
                    lines::toString);
            Eventually.until(Duration.ofSeconds(30), () -> lines.stream().anyMatch(l -> l.startsWith("watch-02")), lines::toString);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        // The reader may still be taking the last lines out of the pipe: check what it has once it is done.
        reader.join(Duration.ofSeconds(30));
        List<String> seen = List.copyOf(lines);
        assertTrue(seen.get(0).startsWith("NAME "), seen::toString);
        int stateColumn = seen.get(0).indexOf("STATE");
        int conditionsColumn = seen.get(0).indexOf("CONDITIONS");
        for (String row : seen.subList(1, seen.size())) {
            assertEquals(' ', row.charAt(stateColumn - 1), () -> "aligned: " + seen);
            assertFalse(Character.isWhitespace(row.charAt(stateColumn)), () -> "aligned: " + seen);
            assertFalse(Character.isWhitespace(row.charAt(conditionsColumn)), () -> "aligned: " + seen);
        }
    }
}
