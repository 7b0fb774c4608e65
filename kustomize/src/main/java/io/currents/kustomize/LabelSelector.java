package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector in its string form ({@code a=b,c!=d,e in (f,g),!h}). */
final class LabelSelector {
    private enum Op { EQ, NEQ, IN, NOTIN, EXISTS, NOT_EXISTS }

    private record Req(String key, Op op, Set<String> values) {
    }

    private final List<Req> reqs;

    private LabelSelector(List<Req> reqs) {
        this.reqs = reqs;
    }

    static LabelSelector parse(String s) {
        List<Req> reqs = new ArrayList<>();
        int i = 0;
        String in = s.trim();
        while (i < in.length()) {
            // split on commas that are not inside parentheses
            int depth = 0;
            int j = i;
            while (j < in.length() && (in.charAt(j) != ',' || depth > 0)) {
                if (in.charAt(j) == '(') {
                    depth++;
                } else if (in.charAt(j) == ')') {
                    depth--;
                }
                j++;
            }
            String part = in.substring(i, j).trim();
            if (!part.isEmpty()) {
                reqs.add(parseReq(part, s));
            }
            i = j + 1;
        }
        return new LabelSelector(reqs);
    }

    private static Req parseReq(String p, String whole) {
        if (p.startsWith("!")) {
            return new Req(p.substring(1).trim(), Op.NOT_EXISTS, Set.of());
        }
        String lower = p;
        int sp = indexOfWord(lower, " notin ");
        if (sp >= 0) {
            return new Req(p.substring(0, sp).trim(), Op.NOTIN, values(p.substring(sp + 7), whole));
        }
        sp = indexOfWord(lower, " in ");
        if (sp >= 0) {
            return new Req(p.substring(0, sp).trim(), Op.IN, values(p.substring(sp + 4), whole));
        }
        int k = p.indexOf("!=");
        if (k >= 0) {
            return new Req(p.substring(0, k).trim(), Op.NEQ, Set.of(p.substring(k + 2).trim()));
        }
        k = p.indexOf("==");
        if (k >= 0) {
            return new Req(p.substring(0, k).trim(), Op.EQ, Set.of(p.substring(k + 2).trim()));
        }
        k = p.indexOf('=');
        if (k >= 0) {
            return new Req(p.substring(0, k).trim(), Op.EQ, Set.of(p.substring(k + 1).trim()));
        }
        return new Req(p.trim(), Op.EXISTS, Set.of());
    }

    private static int indexOfWord(String s, String w) {
        return s.indexOf(w);
    }

    private static Set<String> values(String v, String whole) {
        v = v.trim();
        if (!v.startsWith("(") || !v.endsWith(")")) {
            throw new KustomizeException("unable to parse requirement: found '" + v + "', expected: '(' in selector '"
                    + whole + "'");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String x : v.substring(1, v.length() - 1).split(",")) {
            out.add(x.trim());
        }
        return out;
    }

    boolean matches(Map<String, String> labels) {
        for (Req r : reqs) {
            boolean has = labels.containsKey(r.key);
            String val = labels.get(r.key);
            boolean ok = switch (r.op) {
                case EQ, IN -> has && r.values.contains(val);
                case NEQ, NOTIN -> !has || !r.values.contains(val);
                case EXISTS -> has;
                case NOT_EXISTS -> !has;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
