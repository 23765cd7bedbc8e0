package dev.cara.sdk;

/**
 * A build's identity, as {@code GET /api/v1/version} reports it.
 *
 * @param version    the release, for example {@code 0.1.0}
 * @param build      the commit or build stamp, or {@code unknown}
 * @param apiVersion the wire format spoken, {@code caravanserai/v1}
 */
public record VersionInfo(String version, String build, String apiVersion) {

    private static final VersionInfo CURRENT =
            new VersionInfo(clean(BuildStamp.VERSION), clean(BuildStamp.BUILD), Node.API_VERSION);

    /** The version of this copy of the SDK, stamped by the build. */
    public static VersionInfo current() {
        return CURRENT;
    }

    private static String clean(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
