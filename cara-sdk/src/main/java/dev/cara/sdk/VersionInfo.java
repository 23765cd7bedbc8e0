package dev.cara.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * A build's identity, as {@code GET /api/v1/version} reports it.
 *
 * @param version    the release, for example {@code 0.1.0}
 * @param build      the commit or build stamp, or {@code unknown}
 * @param apiVersion the wire format spoken, {@code caravanserai/v1}
 */
public record VersionInfo(String version, String build, String apiVersion) {

    private static final VersionInfo CURRENT = load();

    /** The version of this copy of the SDK, read from the build's stamp. */
    public static VersionInfo current() {
        return CURRENT;
    }

    private static VersionInfo load() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // No stamp: fall through to "unknown"; the version is informational.
        }
        return new VersionInfo(clean(p.getProperty("version")), clean(p.getProperty("build")), Node.API_VERSION);
    }

    private static String clean(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
