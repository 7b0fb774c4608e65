package io.currents.kustomize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strategic merge patch as kustomize applies it (kyaml's merge2 walker): maps merge recursively, a
 * null deletes a field, {@code $patch: delete|replace} act on maps and list elements, lists of
 * built-in types with a merge key merge element by element (patch elements first), every other list
 * is replaced. Custom resources have no schema, so all their lists are replaced.
 */
final class StrategicMerge {
    private StrategicMerge() {
    }

    /** Marks a field absent from a map (as opposed to present with a null value). */
    private static final Object MISSING = new Object();
    /** Returned when the walk deletes the value. */
    private static final Object CLEAR = new Object();

    /** Merges a copy of the patch into dest (which is changed in place); returns null when deleted. */
    static Map<String, Object> merge(Map<String, Object> dest, Map<String, Object> patch) {
        Object r = walk(dest, Nodes.deepCopy(patch), null, new ArrayList<>());
        if (r == CLEAR || r == MISSING || r == null) {
            return null;
        }
        return Nodes.asMap(r);
    }

    private enum Kind { NONE, MAP, SEQ, SCALAR }

    /** kyaml's Walker.GetSchema without a schema from above: a map with apiVersion and kind names its own type. */
    private static OpenApi.Schema schemaOf(Object... sources) {
        for (Object s : sources) {
            Map<String, Object> m = Nodes.asMap(s);
            if (m == null) {
                continue;
            }
            Object kind = m.get("kind");
            Object apiVersion = m.get("apiVersion");
            if (kind == null || apiVersion == null || !Nodes.isScalar(kind) || !Nodes.isScalar(apiVersion)) {
                continue;
            }
            String k = Nodes.scalarText(kind);
            String av = Nodes.scalarText(apiVersion);
            if (k.isEmpty() || av.isEmpty()) {
                continue;
            }
            OpenApi.Schema sc = OpenApi.current().forResource(av, k);
            if (sc != null) {
                return sc;
            }
        }
        return null;
    }

    private static Kind kindOf(Object o) {
        if (o == MISSING || o == null) {
            return Kind.NONE;
        }
        if (o instanceof Map) {
            return Kind.MAP;
        }
        if (o instanceof List) {
            return Kind.SEQ;
        }
        return Kind.SCALAR;
    }

    private static Object walk(Object dest, Object origin, OpenApi.Schema type, List<String> path) {
        if (type == null) {
            type = schemaOf(dest, origin);
        }
        Kind k = kindOf(dest);
        if (k == Kind.NONE) {
            k = kindOf(origin);
        }
        Kind ok = kindOf(origin);
        Kind dk = kindOf(dest);
        if ((dk != Kind.NONE && dk != k) || (ok != Kind.NONE && ok != k)) {
            throw new KustomizeException("wrong Node Kind for " + String.join(".", path) + " expected: "
                    + nodeKind(k) + " was " + nodeKind(dk != k ? dk : ok));
        }
        switch (k) {
            case SEQ:
                if (type != null && type.associative()) {
                    return walkAssociative(dest, origin, type, path);
                }
                return origin != MISSING ? origin : dest;
            case SCALAR:
                return origin != MISSING ? origin : dest;
            default:
                return walkMap(dest, origin, type, path);
        }
    }

    private static String nodeKind(Kind k) {
        return switch (k) {
            case MAP -> "MappingNode";
            case SEQ -> "SequenceNode";
            default -> "ScalarNode";
        };
    }

    private static String directive(Object origin) {
        Map<String, Object> m = Nodes.asMap(origin);
        if (m == null || !m.containsKey("$patch")) {
            return "merge";
        }
        Object v = m.get("$patch");
        String s = v == null ? "" : Nodes.scalarText(v);
        if (s.equals("delete") || s.equals("replace") || s.equals("merge")) {
            m.remove("$patch");
            return s;
        }
        throw new KustomizeException("unknown patch strategy '" + s + "'");
    }

    private static Object walkMap(Object dest, Object origin, OpenApi.Schema type, List<String> path) {
        Object newDest;
        if (dest == MISSING || dest == null) {
            if (origin != MISSING && directive(origin).equals("delete")) {
                return CLEAR;
            }
            if (origin == MISSING) {
                return dest;
            }
            newDest = origin;
        } else if (origin == null) {
            return CLEAR;
        } else {
            String d = origin == MISSING ? "merge" : directive(origin);
            switch (d) {
                case "delete":
                    return CLEAR;
                case "replace":
                    newDest = origin;
                    break;
                default:
                    newDest = dest;
            }
        }
        Map<String, Object> nd = Nodes.asMap(newDest);
        if (nd == null) {
            return newDest;
        }
        Map<String, Object> om = origin == MISSING ? null : Nodes.asMap(origin);
        Set<String> keys = new TreeSet<>(nd.keySet());
        if (om != null) {
            keys.addAll(om.keySet());
        }
        for (String key : keys) {
            Object d = nd.containsKey(key) ? nd.get(key) : MISSING;
            Object o = om != null && om.containsKey(key) ? om.get(key) : MISSING;
            path.add(key);
            OpenApi.Schema fieldType = commentSchema(key, nd, om);
            if (fieldType == null && type != null) {
                fieldType = type.field(key);
            }
            Object val = walk(d, o, fieldType, path);
            path.remove(path.size() - 1);
            if (d == null && o == MISSING
                    && !(nd instanceof io.currents.kustomize.yaml.YamlMap ym && ym.isEmptyNull(key))) {
                // kyaml keeps a null the patch does not touch when it was written (null, ~), not when empty
                continue;
            }
            if (val == CLEAR || val == MISSING || val == null) {
                nd.remove(key);
            } else {
                nd.put(key, val);
            }
        }
        return nd;
    }

    /** kyaml's Walker.GetSchema: a schema comment on the field, in the object first, then in the patch. */
    private static OpenApi.Schema commentSchema(String key, Map<String, Object> dest, Map<String, Object> patch) {
        for (Map<String, Object> m : Arrays.asList(dest, patch)) {
            if (m instanceof io.currents.kustomize.yaml.YamlMap ym && m.get(key) != null && ym.fieldSchema(key) != null) {
                OpenApi.Schema s = OpenApi.current().fromComment(ym.fieldSchema(key));
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    // ---- associative lists ----

    /** Marks a field found with a null value (distinct from not found). */
    private static final Object FOUND_NULL = new Object();

    private static Object walkAssociative(Object dest, Object origin, OpenApi.Schema type, List<String> path) {
        Object newDest;
        if (dest == MISSING || dest == null) {
            if (origin == MISSING) {
                return dest;
            }
            newDest = origin;
        } else if (origin == null) {
            return CLEAR;
        } else {
            newDest = dest;
        }
        List<Object> nd = Nodes.asList(newDest);
        List<Object> ol = origin == MISSING ? null : Nodes.asList(origin);
        List<String> keys = type.mergeKeys();
        List<List<String>> valuesList = new ArrayList<>();
        if (!keys.isEmpty()) {
            Set<List<String>> seen = new java.util.HashSet<>();
            for (List<Object> src : ol == null ? List.of(nd) : List.of(ol, nd)) {
                for (Object e : src) {
                    List<String> v = new ArrayList<>();
                    Map<String, Object> em = Nodes.asMap(e);
                    for (String key : keys) {
                        Object f = em == null ? null : em.get(key);
                        v.add(f == null ? "" : text(f));
                    }
                    if (seen.add(v)) {
                        valuesList.add(v);
                    }
                }
            }
        }
        if (valuesList.isEmpty() && keys.isEmpty()) {
            keys = List.of("");
            Set<String> seen = new java.util.HashSet<>();
            for (List<Object> src : ol == null ? List.of(nd) : List.of(ol, nd)) {
                for (Object e : src) {
                    String v = text(e);
                    if (seen.add(v)) {
                        valuesList.add(new ArrayList<>(List.of(v)));
                    }
                }
            }
        }
        if (keys.size() > 1) {
            mergeValues(valuesList);
        }
        List<Object> items = new ArrayList<>();
        OpenApi.Schema elem = type.elements();
        List<String> vk = keys;
        for (List<String> values : valuesList) {
            if (values.isEmpty()) {
                continue;
            }
            List<String> vv = new ArrayList<>();
            vk = validateKeys(valuesList, values, keys, vv);
            List<String> lk = new ArrayList<>();
            List<String> lv = new ArrayList<>();
            List<String> lvk = validateKeys(List.of(vv), vv, vk, lv);
            lk.addAll(lvk);
            Object d = elementList(nd, lk, lv);
            Object o = ol == null ? MISSING : elementList(ol, lk, lv);
            Object val = walk(d, o, elem, path);
            if (val == CLEAR || val == MISSING || val == null || (val instanceof Map<?, ?> vm && vm.isEmpty())) {
                elementSetter(nd, null, vk, vv);
                continue;
            }
            Map<String, Object> valMap = Nodes.asMap(val);
            if (valMap != null) {
                for (int i = 0; i < vk.size(); i++) {
                    if (!valMap.containsKey(vk.get(i)) && !vv.get(i).isEmpty()) {
                        valMap.put(vk.get(i), vv.get(i));
                    }
                }
            }
            elementSetter(items, val, vk, vv);
        }
        if (valuesList.isEmpty()) {
            return nd;
        }
        appendListNode(items, nd, vk);
        return items;
    }

    private static String text(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Map || o instanceof List) {
            return "";
        }
        return Nodes.scalarText(o);
    }

    private static void mergeValues(List<List<String>> valuesList) {
        for (int i = 0; i < valuesList.size(); i++) {
            for (int j = 0; j < valuesList.size(); j++) {
                List<String> merged = matchValues(valuesList.get(i), valuesList.get(j));
                if (merged != null) {
                    valuesList.set(i, merged);
                    valuesList.set(j, merged);
                }
            }
        }
    }

    private static List<String> matchValues(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return null;
        }
        boolean common = false;
        List<String> res = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals(b.get(i))) {
                common = true;
                res.add(a.get(i));
                continue;
            }
            if (!a.get(i).isEmpty() && !b.get(i).isEmpty()) {
                return null;
            }
            res.add(a.get(i).isEmpty() ? b.get(i) : a.get(i));
        }
        return common ? res : null;
    }

    /** Keys that have a value somewhere in the list (all keys if none has); fills the matching values. */
    private static List<String> validateKeys(List<List<String>> valuesList, List<String> values, List<String> keys,
                                             List<String> outValues) {
        Set<String> valid = new java.util.HashSet<>();
        for (List<String> vs : valuesList) {
            for (int i = 0; i < vs.size(); i++) {
                if (!vs.get(i).isEmpty()) {
                    valid.add(keys.get(i));
                }
            }
        }
        if (valid.isEmpty()) {
            outValues.addAll(values);
            return keys;
        }
        List<String> vk = new ArrayList<>();
        for (String k : keys) {
            if (valid.contains(k)) {
                vk.add(k);
            }
        }
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isEmpty() || valid.contains(keys.get(i))) {
                outValues.add(values.get(i));
            }
        }
        return vk;
    }

    /** kyaml's FieldMatcher with a string value ("" matches any value); null when no match. */
    private static Object fieldMatcher(Object elem, String name, String value) {
        if (elem == null) {
            return null;
        }
        if (name.isEmpty()) {
            if (!Nodes.isScalar(elem)) {
                throw new KustomizeException("wrong Node Kind: expected ScalarNode");
            }
            return text(elem).equals(value) ? elem : null;
        }
        Map<String, Object> m = Nodes.asMap(elem);
        if (m == null || !m.containsKey(name)) {
            return null;
        }
        Object f = m.get(name);
        if (!value.isEmpty() && !text(f).equals(value)) {
            return null;
        }
        return f == null ? FOUND_NULL : f;
    }

    /** kyaml's ElementMatcher: the first element whose key fields equal the values. */
    private static Object elementList(List<Object> list, List<String> keys, List<String> values) {
        if (keys.isEmpty() || keys.get(0).isEmpty()) {
            String v = values.isEmpty() ? "" : values.get(0);
            for (Object e : list) {
                if (text(e).equals(v) && Nodes.isScalar(e)) {
                    return e;
                }
            }
            return MISSING;
        }
        for (Object e : list) {
            Map<String, Object> em = Nodes.asMap(e);
            if (em == null) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < keys.size(); i++) {
                String v = i < values.size() ? values.get(i) : "";
                if (!em.containsKey(keys.get(i)) || !text(em.get(keys.get(i))).equals(v)) {
                    match = false;
                    break;
                }
            }
            if (match) {
                return e;
            }
        }
        return MISSING;
    }

    /** kyaml's ElementSetter: replaces (or with a null element removes) matching elements, else appends. */
    private static void elementSetter(List<Object> list, Object element, List<String> keys, List<String> values) {
        List<Object> out = new ArrayList<>();
        boolean found = false;
        for (Object e : list) {
            if (e == null || (e instanceof Map<?, ?> m && m.isEmpty())) {
                continue;
            }
            if (!(e instanceof Map) && !keys.isEmpty() && !keys.get(0).isEmpty()) {
                out.add(e);
                continue;
            }
            Object val = null;
            boolean match = true;
            for (int j = 0; j < keys.size(); j++) {
                if (j < values.size()) {
                    val = fieldMatcher(e, keys.get(j), values.get(j));
                }
                if (val == null) {
                    match = false;
                    break;
                }
            }
            if (!match) {
                if (!values.isEmpty()) {
                    out.add(e);
                }
                continue;
            }
            found = true;
            if (element != null) {
                out.add(element);
            }
        }
        list.clear();
        list.addAll(out);
        if (element != null && !found) {
            list.add(element);
        }
    }

    private static void appendListNode(List<Object> dst, List<Object> src, List<String> keys) {
        for (Object elem : new ArrayList<>(src)) {
            if (keys.get(0).isEmpty()) {
                elementSetter(dst, elem, List.of(""), List.of(text(elem)));
                continue;
            }
            List<String> v = new ArrayList<>();
            Map<String, Object> em = Nodes.asMap(elem);
            for (String key : keys) {
                if (em == null || !em.containsKey(key)) {
                    dst.add(elem);
                    continue;
                }
                v.add(text(em.get(key)));
            }
            if (keys.size() > 1) {
                elementSetter(dst, null, keys, v);
            }
            elementSetter(dst, elem, keys, v);
        }
    }
}
