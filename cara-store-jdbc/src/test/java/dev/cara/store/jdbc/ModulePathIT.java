package dev.cara.store.jdbc;

import dev.cara.store.jdbc.modulepath.ModulePathMain;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store as a named module: a child JVM gets the store, the SDK, HikariCP, Flyway and the drivers
 * on the module path (the tests themselves run on the class path), finds the store through
 * {@code ServiceLoader}, migrates a schema on each database and writes to it.
 */
class ModulePathIT {
    /** Class-path entries that are test machinery, not the store's runtime. */
    private static final List<String> TEST_ONLY = List.of("test-classes", "-tests.jar", "junit", "opentest4j",
            "apiguardian", "quicktheories", "surefire", "failsafe");

    @Test
    void theStoreRunsAsANamedModuleOnBothDatabases() throws Exception {
        String[] classPath = System.getProperty("java.class.path").split(File.pathSeparator);
        String modulePath = Arrays.stream(classPath).filter(e -> TEST_ONLY.stream().noneMatch(e::contains))
                .collect(Collectors.joining(File.pathSeparator));
        String testClasses = Arrays.stream(classPath).filter(e -> e.endsWith("test-classes"))
                .filter(e -> e.contains("cara-store-jdbc")).findFirst().orElseThrow();
        try (TestDatabase pg = TestDatabase.postgres(); TestDatabase maria = TestDatabase.mariadb()) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--module-path", modulePath, "--add-modules", "dev.cara.store.jdbc",
                    "-cp", testClasses, ModulePathMain.class.getName(), pg.url(), maria.url())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the module-path JVM ended");
            assertEquals(0, p.exitValue(), out);
            long lines = out.lines().filter(l -> l.startsWith("provider in module dev.cara.store.jdbc: 1 node")).count();
            assertEquals(2, lines, out);
        }
    }
}
