package dev.cara.ctl;

/**
 * The root of caractrl's own errors: the ones that do not come from the server. Each carries the
 * exit code it ends the process with, and a message written for the operator (it is printed after
 * {@code Error: } and never with a stack trace unless {@code --debug} is given).
 */
class CtlException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CtlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CtlException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** The command line or the settings are wrong: exit code 2. */
    static final class Usage extends CtlException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(ExitCodes.USAGE, message);
        }
    }

    /**
     * A manifest could not be read. The message names the file (or {@code -} for standard input), the
     * document's position in it (1-based, as an editor counts) and the field.
     */
    static final class Manifest extends CtlException {
        private static final long serialVersionUID = 1L;

        Manifest(String source, int document, String problem) {
            super(ExitCodes.REFUSED, source + ": document " + document + ": " + problem);
        }

        Manifest(String source, String problem) {
            super(ExitCodes.REFUSED, source + ": " + problem);
        }
    }
}
