package io.currents.cli.ops;

import io.currents.kustomize.yaml.YamlWriter;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the everyday commands print: progress lines on stderr with flux's symbols (► action, ✔ success,
 * ◎ waiting, ✗ failure, ✚ generating), tables and YAML/JSON documents on stdout.
 */
public final class Console {

    private final PrintWriter out;
    private final PrintWriter err;

    public Console(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public PrintWriter out() {
        return out;
    }

    public void action(String message) {
        line("► " + message);
    }

    public void success(String message) {
        line("✔ " + message);
    }

    public void waiting(String message) {
        line("◎ " + message);
    }

    public void failure(String message) {
        line("✗ " + message);
    }

    public void generate(String message) {
        line("✚ " + message);
    }

    public void warning(String message) {
        line("⚠️ " + message);
    }

    private void line(String text) {
        err.println(text);
        err.flush();
    }

    /** Prints rows as flux's tables do: cells padded to the column width, columns separated by a tab. */
    public void table(List<String> header, List<List<String>> rows) {
        out.print(Console.renderTable(header, rows));
        out.flush();
    }

    static String renderTable(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        if (header != null && !header.isEmpty()) {
            all.add(header.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList());
        }
        all.addAll(rows);
        int columns = all.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i) == null ? "" : row.get(i);
                sb.append(cell);
                if (i < row.size() - 1) {
                    sb.append(" ".repeat(widths[i] - width(cell))).append('\t');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int width(String s) {
        return s == null ? 0 : s.codePointCount(0, s.length());
    }

    /** One YAML document as flux prints generated and exported objects: {@code ---} first, keys sorted. */
    public static String yamlDocument(Map<String, Object> object) {
        return "---\n" + YamlWriter.toYaml(object);
    }

    public static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OpsException("cannot print JSON: " + e.getMessage(), e);
        }
    }
}
