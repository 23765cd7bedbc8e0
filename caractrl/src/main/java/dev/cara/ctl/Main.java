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
    /** The system property JSON-P's {@code JsonProvider.provider()} reads before it searches. */
    private static final String JSON_PROVIDER = "jakarta.json.provider";

    private Main() {
    }

    public static void main(String[] args) {
        // picocli otherwise looks for Groovy's Closure class on every start, and a class that is not
        // there makes the class loader open every jar on the class path: a few ms of each command.
        System.setProperty("picocli.disable.closures", "true");
        // caractrl.jar carries Parsson. Naming it spares JSON-P's service lookup, which scans the
        // class path for provider files on the first JSON read.
        if (System.getProperty(JSON_PROVIDER) == null) {
            System.setProperty(JSON_PROVIDER, "org.eclipse.parsson.JsonProviderImpl");
        }
        Charset charset = stdoutCharset();
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), charset)));
        PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), charset)));
        CtlContext context = new CtlContext(out, err, System.in, System.getenv(),
                home(), Clock.systemUTC(), RemoteClient::open);
        int code = Cli.run(context, args);
        out.flush();
        err.flush();
        System.exit(code);
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
