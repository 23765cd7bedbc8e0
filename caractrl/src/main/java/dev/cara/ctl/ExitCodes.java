package dev.cara.ctl;

/** caractrl's exit codes, which scripts rely on. */
final class ExitCodes {
    /** Everything asked for was done. */
    static final int OK = 0;
    /** The server refused a request, something was not found, or a manifest is invalid. */
    static final int REFUSED = 1;
    /** The command line (or a setting) is wrong. */
    static final int USAGE = 2;
    /** The server could not be reached. */
    static final int UNREACHABLE = 3;
    /** The server did not accept the credentials (401), or refuses this address after too many (429). */
    static final int UNAUTHORIZED = 4;
    /** The credentials are good but their role may not do this (403). */
    static final int FORBIDDEN = 5;

    private ExitCodes() {
    }
}
