package dev.cara.ctl;

import dev.cara.sdk.Node;
import dev.cara.sdk.Project;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Prints nodes or projects in one {@link OutputFormat}: whole results for {@code get}, one at a time
 * for {@code get -w}.
 *
 * @param <T> {@link Node} or {@link Project}
 */
final class Printer<T> {
    /**
     * How one kind of resource looks in each format ({@link NodeColumns#KIND}, {@link ProjectColumns#KIND}).
     *
     * @param watchMinimums widths a watch table starts with, so that rows arriving later usually line up
     */
    record Kind<T>(String prefix, Function<T, String> name, Function<Boolean, List<String>> headers, Row<T> row,
                   int[] watchMinimums, Function<T, String> json, Function<List<T>, String> listJson) {
    }

    /** One table row of a resource, at one instant. */
    @FunctionalInterface
    interface Row<T> {
        List<String> of(T item, boolean wide, Instant now);
    }

    private final Kind<T> kind;
    private final OutputFormat format;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private TextTable watchTable; // owned by the thread that delivers watch events
    private boolean wroteDocument;

    Printer(Kind<T> kind, OutputFormat format, PrintWriter out, PrintWriter err, Clock clock) {
        this.kind = kind;
        this.format = format;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /**
     * Prints a result.
     *
     * @param single true when the operator named exactly one resource: JSON and YAML then print that
     *               object rather than a list
     */
    void print(List<T> items, boolean single) {
        switch (format) {
            case TABLE, WIDE -> {
                if (items.isEmpty()) {
                    // On stderr, as kubectl does, so that `caractrl get nodes | wc -l` counts nodes.
                    err.println("No resources found");
                    return;
                }
                boolean wide = format == OutputFormat.WIDE;
                TextTable table = new TextTable(kind.headers().apply(wide));
                Instant now = clock.instant();
                for (T item : items) {
                    table.add(kind.row().of(item, wide, now));
                }
                table.print(out);
            }
            case JSON -> out.println(Documents.prettyJson(wire(items, single)));
            case YAML -> out.println(Documents.yaml(wire(items, single)));
            case NAME -> items.forEach(item -> out.println(kind.prefix() + kind.name().apply(item)));
        }
    }

    private String wire(List<T> items, boolean single) {
        return single && items.size() == 1 ? kind.json().apply(items.get(0)) : kind.listJson().apply(items);
    }

    /**
     * Starts a watch: prints the table header, with column widths taken from the resources known
     * now and from sensible minimums.
     */
    void startWatch(List<T> known) {
        if (format == OutputFormat.TABLE || format == OutputFormat.WIDE) {
            boolean wide = format == OutputFormat.WIDE;
            TextTable table = new TextTable(kind.headers().apply(wide)).minimumWidths(kind.watchMinimums());
            Instant now = clock.instant();
            for (T item : known) {
                table.add(kind.row().of(item, wide, now));
            }
            table.printHeader(out);
            watchTable = table;
        }
        out.flush();
    }

    /** Prints one resource of a watch stream and flushes, so that a pipe sees it at once. */
    void printWatched(T item) {
        switch (format) {
            case TABLE, WIDE -> watchTable.printRow(out, kind.row().of(item, format == OutputFormat.WIDE, clock.instant()));
            // One compact object a line: a stream that `jq` and line-oriented tools read as it comes.
            case JSON -> out.println(kind.json().apply(item));
            case YAML -> {
                if (wroteDocument) {
                    out.println("---");
                }
                out.println(Documents.yaml(kind.json().apply(item)));
            }
            case NAME -> out.println(kind.prefix() + kind.name().apply(item));
        }
        wroteDocument = true;
        out.flush();
    }
}
