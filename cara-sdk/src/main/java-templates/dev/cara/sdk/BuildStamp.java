package dev.cara.sdk;

/**
 * The build's identity as constants, written by the build from this template (the Maven resources
 * plugin fills in the values). Constants rather than a properties resource: reading a resource out
 * of a jar costs a command-line tool several milliseconds of start-up on every run.
 */
final class BuildStamp {
    static final String VERSION = "${project.version}";
    static final String BUILD = "${cara.build}";

    private BuildStamp() {
    }
}
