package dev.cara.ctl;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;

/** The {@code caractrl} executable: the real streams, environment, clock and HTTP client. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        startUpSettings();
        JsonWarmUp.startFor(args); // after the settings: it reads jakarta.json.provider
        Charset charset = stdoutCharset();
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), charset)));
        PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), charset)));
        CtlContext context = new CtlContext(out, err, System.in, System.getenv(),
                home(), Clock.systemUTC(), new RemoteClient());
        int code = Cli.run(context, args);
        out.flush();
        err.flush();
        // Success ends main, and the JVM with it (every thread the commands start is a daemon):
        // System.exit logs the call through System.Logger (JDK 17+), whose first use scans the class
        // path for logging back ends, opening and indexing caractrl.jar just before the exit.
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * System properties that keep a short run from doing work it does not need. Each is set only if
     * the user has not set it (for example through CARACTRL_JAVA_OPTS).
     */
    private static void startUpSettings() {
        // picocli otherwise looks for Groovy's Closure class on every start, and a class that is not
        // there makes the class loader open every jar on the class path: a few ms of each command.
        setUnlessSet("picocli.disable.closures", "true");
        // No caractrl option has a java.time, java.sql or java.nio.file.Path type (options are
        // strings, flags and caractrl's own enums), so none of picocli's 19 optional converters is
        // registered. Without this, each of the three picocli command objects of a `get nodes` looks
        // up those types and their parse methods by reflection, initialising java.sql and most of
        // java.time: about 2 ms. The pattern is ".*" rather than the packages' names because picocli
        // compiles it anew for each type it checks (19 times per command object, 57 in a
        // `get nodes`); the shortest pattern is the cheapest to compile in a JVM that has not
        // compiled the regex engine yet.
        setUnlessSet("picocli.converters.excludes", ".*");
        // caractrl.jar carries Parsson. Naming it spares JSON-P's service lookup, which scans the
        // class path for provider files on the first JSON read.
        setUnlessSet("jakarta.json.provider", "org.eclipse.parsson.JsonProviderImpl");
        // JDK 25's own default for this security property (java.security), given as the system
        // property, which takes precedence over the file: the first socket then does not make the JVM
        // read and parse the 70 KB java.security for this one value (~2.5 ms). Only on 25 and later,
        // whose default this is (before 25 the default is unset). A host name still has the file
        // read, for the DNS cache's policy.
        if (Runtime.version().feature() >= 25) {
            setUnlessSet("jdk.includeInExceptions", "hostInfoExclSocket");
        }
    }

    private static void setUnlessSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** $HOME, as shells and kubectl use it; the JVM's user.home (from the password database) otherwise. */
    private static Path home() {
        String home = System.getenv("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
    }

    private static Charset stdoutCharset() {
        String name = System.getProperty("stdout.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
