package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/**
 * Prints nodes in one {@link OutputFormat}: whole results for {@code get}, one node at a time for
 * {@code get -w}.
 */
final class NodePrinter {
    /** Widths a watch table starts with, so that rows arriving later usually line up. */
    private static final int[] WATCH_MINIMUMS = {16, 8, 16, 5, 15, 10, 5, 6, 14, 14};

    private final OutputFormat format;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private TextTable watchTable; // owned by the thread that delivers watch events
    private boolean wroteDocument;

    NodePrinter(OutputFormat format, PrintWriter out, PrintWriter err, Clock clock) {
        this.format = format;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /**
     * Prints a result.
     *
     * @param single true when the operator named exactly one node: JSON and YAML then print that Node
     *               rather than a NodeList
     */
    void print(List<Node> nodes, boolean single) {
        switch (format) {
            case TABLE, WIDE -> {
                if (nodes.isEmpty()) {
                    // On stderr, as kubectl does, so that `caractrl get nodes | wc -l` counts nodes.
                    err.println("No resources found");
                    return;
                }
                boolean wide = format == OutputFormat.WIDE;
                TextTable table = new TextTable(NodeColumns.headers(wide));
                var now = clock.instant();
                for (Node n : nodes) {
                    table.add(NodeColumns.row(n, wide, now));
                }
                table.print(out);
            }
            case JSON -> out.println(Documents.prettyJson(wire(nodes, single)));
            case YAML -> out.println(Documents.yaml(wire(nodes, single)));
            case NAME -> nodes.forEach(n -> out.println("node/" + n.name()));
        }
    }

    private static String wire(List<Node> nodes, boolean single) {
        return single && nodes.size() == 1 ? CaraJson.toJson(nodes.get(0)) : CaraJson.toJson(NodeList.of(nodes));
    }

    /**
     * Starts a watch: prints the table header, with column widths taken from the nodes known now
     * and from sensible minimums.
     */
    void startWatch(List<Node> known) {
        if (format == OutputFormat.TABLE || format == OutputFormat.WIDE) {
            boolean wide = format == OutputFormat.WIDE;
            TextTable table = new TextTable(NodeColumns.headers(wide)).minimumWidths(WATCH_MINIMUMS);
            var now = clock.instant();
            for (Node n : known) {
                table.add(NodeColumns.row(n, wide, now));
            }
            table.printHeader(out);
            watchTable = table;
        }
        out.flush();
    }

    /** Prints one node of a watch stream and flushes, so that a pipe sees it at once. */
    void printWatched(Node node) {
        switch (format) {
            case TABLE, WIDE -> watchTable.printRow(out, NodeColumns.row(node, format == OutputFormat.WIDE, clock.instant()));
            // One compact object a line: a stream that `jq` and line-oriented tools read as it comes.
            case JSON -> out.println(CaraJson.toJson(node));
            case YAML -> {
                if (wroteDocument) {
                    out.println("---");
                }
                out.println(Documents.yaml(CaraJson.toJson(node)));
            }
            case NAME -> out.println("node/" + node.name());
        }
        wroteDocument = true;
        out.flush();
    }
}
