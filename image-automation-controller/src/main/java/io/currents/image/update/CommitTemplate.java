package io.currents.image.update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Go's text/template that Flux's commit message templates use: text, {@code {{ .A.B }}},
 * variables ({@code $x}, {@code $x.Field}, {@code $}), {@code range} (with {@code $v :=} or
 * {@code $k, $v :=}; maps in sorted key order), {@code if}/{@code else if}/{@code else}, {@code with},
 * {@code end}, comments, {@code -} trim markers, and the functions {@code index}, {@code len},
 * {@code print}, {@code printf}, {@code println}, {@code join}, {@code eq}, {@code ne}, {@code not},
 * {@code and}, {@code or}. Anything else is rejected with a message saying what is supported.
 */
public final class CommitTemplate {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(-\\s)?(.*?)(\\s-)?}}", Pattern.DOTALL);
    private static final String SUPPORTED = "supported: fields, variables, range, if/else, with, end, comments and the functions "
            + "index, len, print, printf, println, join, eq, ne, not, and, or";

    private final List<Node> nodes;

    private CommitTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** Parses a template; throws IllegalArgumentException with the position and what is supported. */
    public static CommitTemplate parse(String source) {
        List<Object> tokens = tokenize(source);
        Parser parser = new Parser(tokens);
        List<Node> nodes = parser.block(false);
        if (parser.pos < tokens.size()) {
            throw new IllegalArgumentException("unexpected {{" + parser.peekAction() + "}} in the commit message template");
        }
        return new CommitTemplate(nodes);
    }

    /** Renders with {@code data} as dot; throws IllegalArgumentException when a field or function is missing. */
    public String render(Object data) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> vars = new HashMap<>();
        vars.put("$", data);
        for (Node n : nodes) {
            n.render(out, data, vars);
        }
        return out.toString();
    }

    // --- lexing ---

    private record Action(String text) {
    }

    private static List<Object> tokenize(String source) {
        List<Object> tokens = new ArrayList<>();
        Matcher m = ACTION.matcher(source);
        int last = 0;
        boolean trimNext = false;
        while (m.find()) {
            String text = source.substring(last, m.start());
            if (trimNext) {
                text = stripLeading(text);
            }
            if (m.group(1) != null) {
                text = text.stripTrailing();
            }
            if (!text.isEmpty()) {
                tokens.add(text);
            }
            String action = m.group(2).trim();
            if (!(action.startsWith("/*") && action.endsWith("*/"))) {
                tokens.add(new Action(action));
            }
            trimNext = m.group(3) != null;
            last = m.end();
        }
        String tail = source.substring(last);
        if (trimNext) {
            tail = stripLeading(tail);
        }
        if (tail.contains("{{")) {
            throw new IllegalArgumentException("unclosed action '{{' in the commit message template");
        }
        if (!tail.isEmpty()) {
            tokens.add(tail);
        }
        return tokens;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    // --- parsing ---

    private interface Node {
        void render(StringBuilder out, Object dot, Map<String, Object> vars);
    }

    private static final class Parser {
        final List<Object> tokens;
        int pos;
        String terminator;

        Parser(List<Object> tokens) {
            this.tokens = tokens;
        }

        String peekAction() {
            Object t = tokens.get(pos);
            return t instanceof Action a ? a.text : t.toString();
        }

        /** Parses nodes until {{end}} / {{else…}} when {@code nested}; records which ended it. */
        List<Node> block(boolean nested) {
            List<Node> nodes = new ArrayList<>();
            while (pos < tokens.size()) {
                Object t = tokens.get(pos);
                if (t instanceof String text) {
                    nodes.add((out, dot, vars) -> out.append(text));
                    pos++;
                    continue;
                }
                String a = ((Action) t).text;
                String word = a.split("\\s+", 2)[0];
                if (word.equals("end") || word.equals("else")) {
                    if (!nested) {
                        throw new IllegalArgumentException("{{" + a + "}} without a matching range, if or with in the commit message template");
                    }
                    terminator = a;
                    pos++;
                    return nodes;
                }
                pos++;
                switch (word) {
                    case "range" -> nodes.add(range(a.substring(5).trim()));
                    case "if" -> nodes.add(conditional(a.substring(2).trim()));
                    case "with" -> nodes.add(with(a.substring(4).trim()));
                    case "define", "template", "block", "break", "continue" ->
                            throw new IllegalArgumentException("{{" + a + "}} is not supported in commit message templates (" + SUPPORTED + ")");
                    default -> {
                        Pipeline p = Pipeline.parse(a);
                        nodes.add((out, dot, vars) -> out.append(format(p.eval(dot, vars))));
                    }
                }
            }
            if (nested) {
                throw new IllegalArgumentException("missing {{end}} in the commit message template");
            }
            return nodes;
        }

        Node range(String spec) {
            String keyVar = null;
            String valueVar = null;
            String expr = spec;
            int assign = spec.indexOf(":=");
            if (assign >= 0) {
                String[] names = spec.substring(0, assign).split(",");
                if (names.length == 1) {
                    valueVar = names[0].trim();
                } else if (names.length == 2) {
                    keyVar = names[0].trim();
                    valueVar = names[1].trim();
                } else {
                    throw new IllegalArgumentException("range declares too many variables: {{range " + spec + "}}");
                }
                expr = spec.substring(assign + 2).trim();
            }
            Pipeline p = Pipeline.parse(expr);
            List<Node> body = block(true);
            List<Node> otherwise = List.of();
            if (terminator.startsWith("else")) {
                if (!terminator.equals("else")) {
                    throw new IllegalArgumentException("{{" + terminator + "}} inside range is not supported; use {{else}}");
                }
                otherwise = block(true);
                expectEnd();
            }
            final String k = keyVar;
            final String v = valueVar;
            final List<Node> orElse = otherwise;
            return (out, dot, vars) -> {
                Object collection = p.eval(dot, vars);
                List<Map.Entry<Object, Object>> items = entries(collection);
                if (items.isEmpty()) {
                    orElse.forEach(n -> n.render(out, dot, vars));
                    return;
                }
                for (Map.Entry<Object, Object> item : items) {
                    Map<String, Object> scope = new HashMap<>(vars);
                    if (k != null) {
                        scope.put(k, item.getKey());
                    }
                    if (v != null) {
                        scope.put(v, item.getValue());
                    }
                    body.forEach(n -> n.render(out, item.getValue(), scope));
                }
            };
        }

        Node conditional(String expr) {
            Pipeline p = Pipeline.parse(expr);
            List<Node> then = block(true);
            List<Node> otherwise = List.of();
            if (terminator.equals("else")) {
                otherwise = block(true);
                expectEnd();
            } else if (terminator.startsWith("else if ")) {
                Node nested = conditional(terminator.substring(8).trim());
                otherwise = List.of(nested);
            }
            final List<Node> orElse = otherwise;
            return (out, dot, vars) -> (truthy(p.eval(dot, vars)) ? then : orElse).forEach(n -> n.render(out, dot, vars));
        }

        Node with(String expr) {
            Pipeline p = Pipeline.parse(expr);
            List<Node> body = block(true);
            List<Node> otherwise = List.of();
            if (terminator.equals("else")) {
                otherwise = block(true);
                expectEnd();
            }
            final List<Node> orElse = otherwise;
            return (out, dot, vars) -> {
                Object value = p.eval(dot, vars);
                if (truthy(value)) {
                    body.forEach(n -> n.render(out, value, vars));
                } else {
                    orElse.forEach(n -> n.render(out, dot, vars));
                }
            };
        }

        void expectEnd() {
            if (!terminator.equals("end")) {
                throw new IllegalArgumentException("expected {{end}} but found {{" + terminator + "}} in the commit message template");
            }
        }
    }

    // --- pipelines: a term, or a function applied to terms ---

    private record Pipeline(String function, List<String> args) {

        static Pipeline parse(String text) {
            if (text.contains("|")) {
                throw new IllegalArgumentException("pipes ('|') are not supported in commit message templates: write {{fn arg}} instead");
            }
            List<String> words = words(text);
            if (words.isEmpty()) {
                throw new IllegalArgumentException("empty action {{}} in the commit message template");
            }
            String first = words.get(0);
            if (first.startsWith(".") || first.startsWith("$") || first.startsWith("\"") || first.matches("-?\\d+") || first.equals("true") || first.equals("false")) {
                if (words.size() > 1) {
                    throw new IllegalArgumentException("'" + text + "' in the commit message template: a value cannot take arguments");
                }
                return new Pipeline(null, words);
            }
            if (!List.of("index", "len", "print", "printf", "println", "join", "eq", "ne", "not", "and", "or").contains(first)) {
                throw new IllegalArgumentException("function '" + first + "' is not supported in commit message templates (" + SUPPORTED + ")");
            }
            return new Pipeline(first, words.subList(1, words.size()));
        }

        Object eval(Object dot, Map<String, Object> vars) {
            if (function == null) {
                return term(args.get(0), dot, vars);
            }
            List<Object> values = new ArrayList<>();
            for (String a : args) {
                values.add(term(a, dot, vars));
            }
            return switch (function) {
                case "index" -> {
                    Object v = values.get(0);
                    for (Object key : values.subList(1, values.size())) {
                        v = index(v, key);
                    }
                    yield v;
                }
                case "len" -> entries(values.get(0)).size();
                case "print" -> String.join("", values.stream().map(CommitTemplate::format).toList());
                case "println" -> String.join(" ", values.stream().map(CommitTemplate::format).toList()) + "\n";
                case "printf" -> printf(format(values.get(0)), values.subList(1, values.size()));
                case "join" -> String.join(format(values.get(1)), entries(values.get(0)).stream().map(e -> format(e.getValue())).toList());
                case "eq" -> values.subList(1, values.size()).stream().anyMatch(v -> format(v).equals(format(values.get(0))));
                case "ne" -> !format(values.get(0)).equals(format(values.get(1)));
                case "not" -> !truthy(values.get(0));
                case "and" -> values.stream().filter(v -> !truthy(v)).findFirst().orElse(values.get(values.size() - 1));
                case "or" -> values.stream().filter(CommitTemplate::truthy).findFirst().orElse(values.get(values.size() - 1));
                default -> throw new IllegalArgumentException("function '" + function + "' is not supported");
            };
        }

        private static List<String> words(String text) {
            List<String> words = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"') {
                    int j = i + 1;
                    while (j < text.length() && text.charAt(j) != '"') {
                        j += text.charAt(j) == '\\' ? 2 : 1;
                    }
                    words.add(text.substring(i, Math.min(j + 1, text.length())));
                    i = j + 1;
                } else if (c == '(' || c == ')') {
                    throw new IllegalArgumentException("parentheses are not supported in commit message templates: '" + text + "'");
                } else {
                    int j = i;
                    while (j < text.length() && !Character.isWhitespace(text.charAt(j))) {
                        j++;
                    }
                    words.add(text.substring(i, j));
                    i = j;
                }
            }
            return words;
        }

        private static Object term(String word, Object dot, Map<String, Object> vars) {
            if (word.startsWith("\"")) {
                return word.substring(1, word.length() - 1).replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (word.matches("-?\\d+")) {
                return Long.parseLong(word);
            }
            if (word.equals("true") || word.equals("false")) {
                return Boolean.parseBoolean(word);
            }
            Object value;
            String path;
            if (word.equals(".")) {
                return dot;
            }
            if (word.startsWith("$")) {
                int dotAt = word.indexOf('.');
                String name = dotAt < 0 ? word : word.substring(0, dotAt);
                if (!vars.containsKey(name)) {
                    throw new IllegalArgumentException("undefined variable " + name + " in the commit message template");
                }
                value = vars.get(name);
                path = dotAt < 0 ? "" : word.substring(dotAt + 1);
            } else {
                value = dot;
                path = word.substring(1);
            }
            if (path.isEmpty()) {
                return value;
            }
            for (String field : path.split("\\.")) {
                value = field(value, field);
            }
            return value;
        }
    }

    private static Object field(Object value, String field) {
        if (value instanceof TemplateFields f) {
            return f.field(field);
        }
        if (value instanceof Map<?, ?> map) {
            return map.get(field);
        }
        throw new IllegalArgumentException("can't evaluate field " + field + " in " + (value == null ? "nil" : "'" + format(value) + "'"));
    }

    private static Object index(Object value, Object key) {
        if (value instanceof Map<?, ?> map) {
            return map.get(key instanceof Long l && !map.containsKey(l) ? l.toString() : key);
        }
        if (value instanceof List<?> list && key instanceof Long l) {
            if (l < 0 || l >= list.size()) {
                throw new IllegalArgumentException("index " + l + " out of range (length " + list.size() + ")");
            }
            return list.get(l.intValue());
        }
        if (value == null) {
            return null;
        }
        throw new IllegalArgumentException("can't index " + format(value) + " with " + format(key));
    }

    /** The (key, value) pairs a range visits: maps in key order, lists by index. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Map.Entry<Object, Object>> entries(Object collection) {
        List<Map.Entry<Object, Object>> items = new ArrayList<>();
        if (collection == null) {
            return items;
        }
        if (collection instanceof Map<?, ?> map) {
            Map<Object, Object> sorted = new TreeMap<>((a, b) -> a instanceof Comparable ca && a.getClass() == b.getClass()
                    ? ca.compareTo(b) : format(a).compareTo(format(b)));
            sorted.putAll((Map<Object, Object>) map);
            sorted.forEach((k, v) -> items.add(Map.entry(k, v == null ? "" : v)));
        } else if (collection instanceof Collection<?> list) {
            long i = 0;
            for (Object o : list) {
                items.add(Map.entry(i++, o == null ? "" : o));
            }
        } else if (collection instanceof String s) {
            throw new IllegalArgumentException("range can't iterate over the string '" + s + "'");
        } else {
            throw new IllegalArgumentException("range can't iterate over " + format(collection));
        }
        return items;
    }

    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return true;
    }

    static String format(Object v) {
        if (v == null) {
            return "<no value>";
        }
        if (v instanceof List<?> list) {
            return "[" + String.join(" ", list.stream().map(CommitTemplate::format).toList()) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("map[");
            entries(map).forEach(e -> b.append(b.length() > 4 ? " " : "").append(format(e.getKey())).append(':').append(format(e.getValue())));
            return b.append(']').toString();
        }
        return v.toString();
    }

    private static String printf(String pattern, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            char verb = pattern.charAt(++i);
            if (verb == '%') {
                out.append('%');
            } else if (verb == 's' || verb == 'v' || verb == 'd') {
                out.append(arg < args.size() ? format(args.get(arg++)) : "%!" + verb + "(MISSING)");
            } else if (verb == 'q') {
                out.append('"').append(arg < args.size() ? format(args.get(arg++)) : "").append('"');
            } else {
                throw new IllegalArgumentException("printf verb %" + verb + " is not supported in commit message templates (use %s, %v, %d, %q)");
            }
        }
        return out.toString();
    }
}
