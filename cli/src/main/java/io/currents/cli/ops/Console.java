package io.currents.cli.ops;

import io.currents.cli.output.Table;

import java.util.List;

/** Tables of the everyday commands, drawn with the shared {@link Table}. */
final class Console {

    private Console() {
    }

    /** The table with its header line. */
    static String table(List<String> headers, List<List<String>> rows) {
        Table table = new Table(headers.toArray(String[]::new));
        rows.forEach(r -> table.row(r.toArray()));
        return table.render();
    }

    /** Rows only (for watches that print one row at a time under a header printed before). */
    static String rows(List<String> headers, List<List<String>> rows) {
        String text = table(headers, rows);
        return text.substring(text.indexOf('\n') + 1);
    }
}
