package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 14's "a drain from caractrl shows as Draining live": the real caractrl launcher cordons a node
 * while headless Chromium shows the dashboard of a real {@code cara-server} process, and the node's
 * row turns Draining (and back) without a reload. The server module's DashboardIT covers the rest of
 * the page; this one lives here because only this module has the launcher.
 */
class DashboardCaractrlIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("cara.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("cara.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> FLEET = List.of("web-1", "web-2", "db-1");

    @TempDir
    Path dir;

    @Test
    void aCordonFromTheCaractrlLauncherShowsAsDrainingLiveAndAnUncordonAsReady() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless Chromium here (" + CHROMIUM + ", " + CHROMEDRIVER + "): install Debian's chromium and"
                        + " chromium-driver packages (.ci/services does on CI)");
        ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();
        ChromeDriver driver = null;
        try (Processes.Server server = new Processes.Server(CaractrlIT.SERVER_JAR);
             CaraClient api = CaraClient.http(URI.create(server.url))) {
            for (String name : FLEET) {
                api.register(Node.builder(name).hostname(name + ".lan").build());
            }
            pump.scheduleWithFixedDelay(() -> FLEET.forEach(n -> api.heartbeat(n, HeartbeatReport.claiming(NodeState.READY))),
                    0, 500, TimeUnit.MILLISECONDS);
            driver = chromium(dir.resolve("profile"));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(server.url + "/ui/");
            wait.until(d -> FLEET.stream().allMatch(n -> "Ready".equals(rowState(js, n))));
            js.executeScript("window.caraNotReloaded = true"); // a reload would lose it

            Processes.Run cordon = Processes.caractrl(dir, "", "--server", server.url, "cordon", "db-1");
            assertEquals(0, cordon.code(), cordon::toString);
            wait.until(d -> "Draining".equals(rowState(js, "db-1")));
            Path shots = Path.of("target", "dashboard");
            Files.createDirectories(shots);
            Files.write(shots.resolve("caractrl-cordon.png"), driver.getScreenshotAs(OutputType.BYTES));

            Processes.Run uncordon = Processes.caractrl(dir, "", "--server", server.url, "uncordon", "db-1");
            assertEquals(0, uncordon.code(), uncordon::toString);
            wait.until(d -> "Ready".equals(rowState(js, "db-1")));
            assertEquals(Boolean.TRUE, js.executeScript("return window.caraNotReloaded === true"), "the page reloaded");
            assertEquals("Ready", rowState(js, "web-1"));
        } finally {
            pump.shutdownNow();
            if (driver != null) {
                driver.quit();
            }
        }
    }

    /** The state the dashboard's rendered row of {@code name} shows now, or null when it is not drawn. */
    private static String rowState(JavascriptExecutor js, String name) {
        return (String) js.executeScript("const r = document.querySelector(`.vbody .vrow[data-name=\"${arguments[0]}\"]`);"
                + " return r && !r.hidden ? r.dataset.state : null;", name);
    }

    /** Debian's Chromium through its own chromedriver, with the flags that work offline (see the server's HeadlessChromium). */
    private static ChromeDriver chromium(Path profile) throws java.io.IOException {
        // Selenium warns that it has no CDP binding for this Chromium; the test uses WebDriver only, never CDP.
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder").setLevel(java.util.logging.Level.SEVERE);
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
