package dev.cara.server;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The system's headless Chromium driven through its own chromedriver (Debian's chromium and
 * chromium-driver packages, which .ci/services installs), never one that Selenium Manager would
 * download: the build runs offline. Without them a test is skipped, saying what to install.
 *
 * <p>The flags are the ones that work on CI's machines: without the networking ones Chromium's
 * own background connections made it refuse ours. Each browser gets a fresh profile, deleted on close.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("cara.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("cara.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser, or the test skipped when this machine has no Chromium and chromedriver. */
    static HeadlessChromium startOrSkip(Path profileParent) throws IOException {
        // Selenium looks for a CDP binding matching this Chromium and warns when it has none; the tests use
        // WebDriver only, never CDP, so the warning says nothing about them.
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder").setLevel(java.util.logging.Level.SEVERE);
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless Chromium here (" + CHROMIUM + ", " + CHROMEDRIVER + "): install Debian's chromium and "
                        + "chromium-driver packages (.ci/services does on CI), or point -Dcara.chromium and "
                        + "-Dcara.chromedriver at them");
        Path profile = Files.createTempDirectory(profileParent, "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    /** Saves what the page shows now as a PNG at {@code target}. */
    void screenshot(Path target) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(target, png);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the screenshot " + target, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A profile left in the temporary directory is harmless; the test's outcome matters more.
            }
        }
    }
}
