package io.currents.kustomize;

import io.currents.api.regex.GoRegex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kyaml's two path walkers over the document model: {@link #lookup} (its PathGetter: fields, indexes,
 * {@code -} for the last element, {@code [key=value]} matching exactly) and {@link #match} (its
 * PathMatcher, used for replacement targets: also {@code *} for every element, and {@code [key=value]}
 * as an unanchored regular expression, creating what is missing when asked).
 */
final class KyamlPath {
    private KyamlPath() {
    }

    /** A place holding a value: a map key or a list index. */
    record Slot(Map<String, Object> map, List<Object> list, String key, int index) {
        Object get() {
            return map != null ? map.get(key) : list.get(index);
        }

        void set(Object v) {
            if (map != null) {
                map.put(key, v);
            } else {
                list.set(index, v);
            }
        }
    }

    /** The kind of node a create makes at the end of a path (kyaml's node kinds). */
    enum Kind { MAP, SEQ, SCALAR }

    /** Marks a scalar just created by a path walk: it has no type yet (kyaml's empty tag). */
    static final Object CREATED = new Object() {
        @Override
        public String toString() {
            return "";
        }
    };

    /** kyaml's SmarterPathSplitter on '.': bracketed parts may contain dots. */
    static List<String> splitDotted(String path) {
        List<String> split = pathSplitter(path, ".");
        List<String> result = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            String elem = split.get(i);
            if (elem.startsWith("[") && !elem.endsWith("]")) {
                List<String> bracketed = new ArrayList<>(List.of(elem));
                while (i < split.size() - 1) {
                    i++;
                    bracketed.add(split.get(i));
                    if (split.get(i).endsWith("]")) {
                        break;
                    }
                }
                String s = String.join(".", bracketed);
                if (s.contains("=")) {
                    result.add(s);
                } else {
                    result.add(trim(s, "[]"));
                }
            } else {
                result.add(elem);
            }
        }
        return result;
    }

    private static String trim(String s, String chars) {
        int a = 0;
        int b = s.length();
        while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    /** kyaml's PathSplitter: a leading empty part dropped, a part ending in a backslash joined with the next. */
    static List<String> pathSplitter(String path, String delimiter) {
        String[] ps = path.split(java.util.regex.Pattern.quote(delimiter), -1);
        int start = ps.length > 1 && ps[0].isEmpty() ? 1 : 0;
        List<String> res = new ArrayList<>();
        res.add(ps[start]);
        for (int i = start + 1; i < ps.length; i++) {
            String last = res.get(res.size() - 1);
            if (last.endsWith("\\")) {
                res.set(res.size() - 1, last.substring(0, last.length() - 1) + delimiter + ps[i]);
            } else {
                res.add(ps[i]);
            }
        }
        return res;
    }

    private static List<String> cleanPath(List<String> path) {
        List<String> out = new ArrayList<>();
        for (String p : path) {
            String t = p.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    static boolean isIdxNumber(String p) {
        try {
            return Integer.parseInt(p) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isListIndex(String p) {
        return p.startsWith("[") && p.endsWith("]");
    }

    /** kyaml's SplitIndexNameValue: {@code [name=value]} into name and value. */
    static String[] splitIndexNameValue(String p) {
        String elem = p.endsWith("]") ? p.substring(0, p.length() - 1) : p;
        elem = elem.startsWith("[") ? elem.substring(1) : elem;
        int eq = elem.indexOf('=');
        if (eq < 0) {
            throw new KustomizeException("list path element must contain fieldName=fieldValue for element to match");
        }
        return new String[] {elem.substring(0, eq), elem.substring(eq + 1)};
    }

    static String kindName(Object o) {
        return o instanceof Map ? "MappingNode" : o instanceof List ? "SequenceNode" : "ScalarNode";
    }

    private static KustomizeException wrongKind(String expected, Object got) {
        return new KustomizeException("wrong node kind: expected " + expected + " but got " + kindName(got));
    }

    /** The text kyaml gives a scalar node (its Value). */
    static String text(Object v) {
        if (v == null || v == CREATED) {
            return "";
        }
        return Nodes.scalarText(v);
    }

    /**
     * kyaml's Lookup (PathGetter without create): the slot at the path, or null when something is
     * missing. A null value is found (its slot is returned).
     */
    static Slot lookup(Map<String, Object> root, List<String> path) {
        List<String> parts = cleanPath(path);
        Slot cur = null;
        Object node = root;
        for (String part : parts) {
            if (node == null) {
                return null;
            }
            Slot next;
            if (isIdxNumber(part) || part.equals("-")) {
                List<Object> l = Nodes.asList(node);
                if (l == null) {
                    throw wrongKind("SequenceNode", node);
                }
                int idx = part.equals("-") ? l.size() - 1 : Integer.parseInt(part);
                if (idx < 0 || idx >= l.size()) {
                    return null;
                }
                next = new Slot(null, l, null, idx);
            } else if (part.equals("*")) {
                throw new KustomizeException("wildcard is not supported in PathGetter");
            } else if (isListIndex(part)) {
                String[] nv = splitIndexNameValue(part);
                List<Object> l = Nodes.asList(node);
                if (l == null) {
                    throw wrongKind("SequenceNode", node);
                }
                next = null;
                for (int i = 0; i < l.size(); i++) {
                    Object e = l.get(i);
                    if (nv[0].isEmpty()) {
                        if (Nodes.isScalar(e) && text(e).equals(nv[1])) {
                            next = new Slot(null, l, null, i);
                            break;
                        }
                        continue;
                    }
                    Map<String, Object> em = Nodes.asMap(e);
                    if (em == null) {
                        continue;
                    }
                    Object f = em.get(nv[0]);
                    if (em.containsKey(nv[0]) && Nodes.isScalar(f) && text(f).equals(nv[1])) {
                        next = new Slot(null, l, null, i);
                        break;
                    }
                }
                if (next == null) {
                    return null;
                }
            } else {
                Map<String, Object> m = Nodes.asMap(node);
                if (m == null) {
                    throw wrongKind("MappingNode", node);
                }
                if (!m.containsKey(part)) {
                    return null;
                }
                next = new Slot(m, null, part, 0);
            }
            cur = next;
            node = next.get();
        }
        return cur;
    }

    /**
     * kyaml's PathMatcher: every slot the path reaches. With {@code create} (the kind of the value to
     * put there), missing fields, list elements and the last field are created.
     */
    static List<Slot> match(Object root, List<String> path, Kind create) {
        List<Slot> out = new ArrayList<>();
        matchAt(root, null, path, 0, create, out);
        return out;
    }

    private static void matchAt(Object node, Slot here, List<String> path, int i, Kind create, List<Slot> out) {
        if (i == path.size()) {
            if (here != null) {
                out.add(here);
            }
            return;
        }
        String part = path.get(i);
        if (isIdxNumber(part)) {
            List<Object> l = Nodes.asList(node);
            if (l == null) {
                if (node == null) {
                    return;
                }
                throw wrongKind("SequenceNode", node);
            }
            int idx = Integer.parseInt(part);
            if (l.size() == idx && create != null) {
                l.add(newNode(kindFor(path, i + 1, create)));
            }
            if (l.size() < idx + 1) {
                throw new KustomizeException("index " + idx + " specified but only " + l.size() + " elements found");
            }
            matchAt(l.get(idx), new Slot(null, l, null, idx), path, i + 1, create, out);
            return;
        }
        if (isListIndex(part)) {
            String[] nv = splitIndexNameValue(part);
            List<Object> l = Nodes.asList(node);
            if (l == null) {
                if (node == null) {
                    return;
                }
                throw wrongKind("SequenceNode", node);
            }
            GoRegex re;
            try {
                re = GoRegex.compile(nv[1]);
            } catch (GoRegex.InvalidRegexException e) {
                throw new KustomizeException("error parsing regexp: " + e.reason() + ": `" + nv[1] + "`");
            }
            int before = out.size();
            for (int j = 0; j < l.size(); j++) {
                Object e = l.get(j);
                if (nv[0].isEmpty()) {
                    if (re.find(text(e))) {
                        out.add(new Slot(null, l, null, j));
                        if (i + 1 < path.size()) {
                            out.remove(out.size() - 1);
                            matchAt(e, new Slot(null, l, null, j), path, i + 1, create, out);
                        }
                    }
                    continue;
                }
                Map<String, Object> em = Nodes.asMap(e);
                if (em == null || !em.containsKey(nv[0])) {
                    continue;
                }
                Object f = em.get(nv[0]);
                if (!re.find(f instanceof Map || f instanceof List ? "" : text(f))) {
                    continue;
                }
                matchAt(e, new Slot(null, l, null, j), path, i + 1, create, out);
            }
            if (out.size() > before || create == null) {
                return;
            }
            Object elem;
            if (nv[0].isEmpty()) {
                elem = nv[1];
            } else {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put(nv[0], nv[1]);
                elem = em;
            }
            l.add(elem);
            matchAt(node, here, path, i, create, out);
            return;
        }
        if (part.equals("*")) {
            List<Object> l = Nodes.asList(node);
            if (l == null) {
                if (node == null) {
                    return;
                }
                throw wrongKind("SequenceNode", node);
            }
            for (int j = 0; j < l.size(); j++) {
                matchAt(l.get(j), new Slot(null, l, null, j), path, i + 1, create, out);
            }
            return;
        }
        if (node == null) {
            return;
        }
        Map<String, Object> m = Nodes.asMap(node);
        if (m == null) {
            throw wrongKind("MappingNode", node);
        }
        if (!m.containsKey(part)) {
            if (create == null) {
                return;
            }
            m.put(part, newNode(kindFor(path, i + 1, create)));
        }
        matchAt(m.get(part), new Slot(m, null, part, 0), path, i + 1, create, out);
    }

    /** kyaml's getPathPartKind: what a created node must be for the next part of the path. */
    private static Kind kindFor(List<String> path, int next, Kind last) {
        if (next >= path.size()) {
            return last;
        }
        String p = path.get(next);
        if (isListIndex(p) || isIdxNumber(p)) {
            return Kind.SEQ;
        }
        return Kind.MAP;
    }

    private static Object newNode(Kind k) {
        return switch (k) {
            case MAP -> new LinkedHashMap<String, Object>();
            case SEQ -> new ArrayList<>();
            default -> CREATED;
        };
    }
}
