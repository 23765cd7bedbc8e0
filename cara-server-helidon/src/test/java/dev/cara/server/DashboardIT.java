package dev.cara.server;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraJson;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeApplier;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.testkit.JsonTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser against a real server process ({@code --auth none}, a 3 s
 * heartbeat timeout): the page loads and lists the registered nodes; a node whose heartbeats stop
 * turns NotReady and a drain turns a node Draining, both live, without a reload; a project shows on
 * the projects page, in its node's allocation and on its node's page; the node page shows its
 * conditions and events; and when the server goes away the page says so and reconnects to its
 * successor. With tokens, a viewer signs in and gets no Drain button; an admin drains from the page.
 * Screenshots go to target/dashboard/; with -Dcara.dashboard.readmeShot=PATH the fleet
 * view is also saved there (docs/dashboard.png in the README is made this way).
 */
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SHOTS = Path.of("target", "dashboard");
    private static final List<String> FLEET = List.of("web-1", "web-2", "web-3", "db-1", "db-2", "cache-1", "gpu-1", "gpu-2");

    private static final String PROJECT = """
            {"apiVersion": "caravanserai/v1", "kind": "Project", "metadata": {"name": "train-1"},
             "spec": {"services": [{"name": "trainer", "image": "pytorch:2"}],
                      "resources": {"requests": {"cpu": "4", "memory": "16Gi"}}, "nodeSelector": {"role": "gpu"}}}""";

    @TempDir
    Path dir;

    /** Who heartbeats: every node in here gets a heartbeat every 500 ms (owned by the test thread; read by the pump). */
    private final Set<String> alive = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopPump() {
        pump.shutdownNow();
    }

    @Test
    void fleetUpdatesLiveAndTheNodePageShowsConditionsAndEvents() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--auth", "none", "--port", "0",
                "--store", "memory:", "--heartbeat-timeout", "3s")) {
            String url = ServerProcess.url(server.awaitStartupLine(WAIT));
            try (CaraClient client = CaraClient.http(URI.create(url));
                 HeadlessChromium browser = HeadlessChromium.startOrSkip(dir)) {
                registerFleet(client);
                WebDriverWait wait = new WebDriverWait(browser.driver, WAIT);
                JavascriptExecutor js = browser.driver;

                browser.driver.get(url + "/ui/");
                wait.until(d -> rowStates(js).size() == FLEET.size() && rowStates(js).values().stream().allMatch("Ready"::equals));
                assertEquals("live", browser.driver.findElement(By.id("connection")).getText());
                js.executeScript("window.caraNotReloaded = true"); // a reload would lose it
                // A project the scheduler binds to a gpu node: the projects page, the node's allocation and its page show it.
                client.createProject(CaraJson.parseProjectManifest(PROJECT));
                wait.until(d -> d.findElement(By.id("nav-projects")).isDisplayed());
                String bound = wait.until(d -> rowStates(js).keySet().stream()
                        .filter(name -> name.startsWith("gpu-") && cell(js, name, 3).startsWith("4 / "))
                        .findFirst().orElse(null));
                browser.screenshot(SHOTS.resolve("1-fleet-ready.png"));

                alive.remove("web-2"); // its heartbeats stop: NotReady once the 3 s timeout passes
                wait.until(d -> "NotReady".equals(rowStates(js).get("web-2")));

                // What caractrl cordon runs (its CordonCommand is this applier over the HTTP client).
                assertTrue(new NodeApplier(client).setUnschedulable("db-1", true));
                wait.until(d -> "Draining".equals(rowStates(js).get("db-1")));
                assertEquals(Boolean.TRUE, js.executeScript("return window.caraNotReloaded === true"), "the page reloaded");
                assertEquals("Ready", rowStates(js).get("web-1"));
                assertEquals("1", text(js, ".count[data-count='NotReady'] .n"));
                assertEquals("1", text(js, ".count[data-count='Draining'] .n"));
                browser.screenshot(SHOTS.resolve("2-fleet-live.png"));
                String readme = System.getProperty("cara.dashboard.readmeShot", "");
                if (!readme.isBlank()) {
                    browser.screenshot(Path.of(readme));
                }

                browser.driver.findElement(By.cssSelector(".vbody .vrow[data-name='web-2']")).click();
                wait.until(d -> "NotReady".equals(text(js, "#node-state")));
                String conditions = browser.driver.findElement(By.id("node-conditions")).getText();
                assertTrue(conditions.contains("NoHeartbeat"), conditions);
                // Its events, from the events API: registered, then NotReady when the heartbeats stopped.
                wait.until(d -> {
                    String events = text(js, "#node-events");
                    return events.contains("Registered") && events.contains("NotReady");
                });
                js.executeScript("document.getElementById('node-events').scrollIntoView()");
                browser.screenshot(SHOTS.resolve("3-node-page.png"));

                browser.driver.findElement(By.id("nav-projects")).click();
                wait.until(d -> bound.equals(cell(js, "train-1", 2)) && "Scheduled".equals(rowStates(js).get("train-1")));
                browser.screenshot(SHOTS.resolve("4-projects.png"));
                browser.driver.findElement(By.cssSelector(".vbody .vrow[data-name='train-1']")).click();
                wait.until(d -> d.findElement(By.id("node-projects")).getText().contains("train-1"));
                assertEquals(bound, text(js, ".node-title h1").split(" ")[0]);

                assertReconnects(server, url, browser, wait);
            }
        }
    }

    @Test
    void withTokensTheViewerSignsInReadOnlyAndTheAdminMayDrain() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--auth", "token", "--port", "0", "--store", "memory:")) {
            String url = ServerProcess.url(server.awaitStartupLine(WAIT));
            String admin = Files.readString(dir.resolve("cara-data").resolve("admin-token")).trim();
            String viewer = issueViewerToken(url, admin);
            try (CaraClient client = CaraClient.httpBuilder().baseUrl(url).bearerToken(admin).build();
                 HeadlessChromium browser = HeadlessChromium.startOrSkip(dir)) {
                client.register(Node.builder("web-1").build());
                WebDriverWait wait = new WebDriverWait(browser.driver, WAIT);
                JavascriptExecutor js = browser.driver;

                browser.driver.get(url + "/ui/#/node/web-1");
                signIn(browser, wait, viewer);
                wait.until(d -> text(js, "#node-state") != null);
                assertTrue(text(js, "#identity").contains("(viewer), read-only"), text(js, "#identity"));
                assertNull(text(js, "#drain"), "a viewer was offered Drain");
                browser.driver.navigate().refresh(); // the token stays for the tab
                wait.until(d -> text(js, "#node-state") != null);
                assertEquals(Boolean.FALSE, js.executeScript("return document.getElementById('login').open"));

                js.executeScript("sessionStorage.clear()");
                browser.driver.navigate().refresh();
                signIn(browser, wait, admin);
                wait.until(d -> text(js, "#drain") != null);
                js.executeScript("document.getElementById('drain').click()"); // the title is redrawn often: no element handle
                wait.until(d -> "Draining".equals(text(js, "#node-state")));
                assertTrue(client.get("web-1").spec().unschedulable());
            }
        }
    }

    private static void signIn(HeadlessChromium browser, WebDriverWait wait, String token) {
        wait.until(d -> Boolean.TRUE.equals(browser.driver.executeScript("return document.getElementById('login').open")));
        browser.driver.findElement(By.id("login-token")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    }

    private static String issueViewerToken(String url, String admin) throws Exception {
        HttpResponse<String> issued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"viewer\",\"description\":\"dashboard\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, issued.statusCode(), issued.body());
        return JsonTrees.object(issued.body()).getString("token");
    }

    private void registerFleet(CaraClient client) {
        for (String name : FLEET) {
            String role = name.substring(0, name.indexOf('-'));
            client.register(Node.builder(name).hostname(name + ".lan").label("role", role)
                    .label("zone", name.endsWith("1") ? "eu-west" : "eu-north").build());
            alive.add(name);
        }
        pump.scheduleWithFixedDelay(() -> alive.forEach(name -> {
            boolean big = name.startsWith("gpu") || name.startsWith("db");
            client.heartbeat(name, new HeartbeatReport(NodeState.READY, null,
                    ResourceList.parse(Map.of("cpu", big ? "16" : "4", "memory", big ? "64Gi" : "8Gi")),
                    ResourceList.parse(Map.of("cpu", big ? "15500m" : "3800m", "memory", big ? "62Gi" : "7Gi")),
                    new NodeInfo("6.1.0-28-amd64", "Debian GNU/Linux 12 (bookworm)", "0.1.0"), null));
        }), 0, 500, TimeUnit.MILLISECONDS);
    }

    /** The server stops: the page says the connection is lost; its successor on the same port: live again. */
    private void assertReconnects(ServerProcess server, String url, HeadlessChromium browser, WebDriverWait wait) throws Exception {
        browser.driver.get(url + "/ui/");
        wait.until(d -> "live".equals(d.findElement(By.id("connection")).getText()));
        server.terminate(WAIT);
        wait.until(d -> d.findElement(By.id("banner")).isDisplayed()
                && d.findElement(By.id("connection")).getDomAttribute("data-status").equals("lost"));
        assertTrue(browser.driver.findElement(By.id("banner")).getText().contains("Lost the connection"));
        browser.screenshot(SHOTS.resolve("5-connection-lost.png"));
        String port = url.substring(url.lastIndexOf(':') + 1);
        try (ServerProcess successor = ServerProcess.start(dir, Map.of(), "--auth", "none", "--port", port,
                "--store", "memory:", "--heartbeat-timeout", "3s");
             CaraClient client = CaraClient.http(URI.create(url))) {
            successor.awaitStartupLine(WAIT);
            client.register(Node.builder("after-restart").build());
            // A fresh memory store: the old fleet is gone, the new node is there, and the banner is down.
            wait.until(d -> rowStates(browser.driver).keySet().equals(Set.of("after-restart"))
                    && "live".equals(d.findElement(By.id("connection")).getText())
                    && !d.findElement(By.id("banner")).isDisplayed());
        }
    }

    /** Column {@code column} (0 is the name) of the rendered row of {@code name}, or "" when it is not drawn. */
    private static String cell(JavascriptExecutor js, String name, int column) {
        return String.valueOf(js.executeScript("const r = document.querySelector(`.vbody .vrow[data-name=\"${arguments[0]}\"]`);"
                + " return r && !r.hidden ? r.children[arguments[1]].textContent : '';", name, column));
    }

    /** The state of each rendered row, by node name, as the DOM has it now. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> rowStates(JavascriptExecutor js) {
        return (Map<String, String>) js.executeScript("""
                const out = {};
                document.querySelectorAll('.vbody .vrow[data-name]:not([hidden])').forEach(r => out[r.dataset.name] = r.dataset.state);
                return out;""");
    }

    /** The text of the first element matching css, or null: read in one script, as the page redraws parts of itself. */
    private static String text(JavascriptExecutor js, String css) {
        return (String) js.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }
}
