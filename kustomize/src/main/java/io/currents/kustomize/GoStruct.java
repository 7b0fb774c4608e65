package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the JSON-like tree of a kustomization (or plugin configuration) into the shape of a Go
 * struct, as {@code encoding/json} does: field names match exactly or case-insensitively, embedded
 * structs are flattened, null leaves a field unset, the first type mismatch (or, strict, unknown field)
 * in document order is the error, worded as Go words it. The result keeps only set fields, under their
 * canonical JSON names.
 */
final class GoStruct {
    /** A Go type: its name in error messages and how values of it decode. */
    abstract static class Type {
        final String goName;

        Type(String goName) {
            this.goName = goName;
        }
    }

    static final class Scalar extends Type {
        final char kind; // s = string, b = bool, i = integer, a = any

        Scalar(String goName, char kind) {
            super(goName);
            this.kind = kind;
        }
    }

    static final class Slice extends Type {
        final Type elem;

        Slice(Type elem) {
            super("[]" + elem.goName);
            this.elem = elem;
        }
    }

    static final class MapOf extends Type {
        final Type elem;

        MapOf(Type elem) {
            super("map[string]" + elem.goName);
            this.elem = elem;
        }
    }

    /** A struct; fields are added after construction so types can refer to each other. */
    static final class Struct extends Type {
        final Map<String, Type> fields = new LinkedHashMap<>();

        Struct(String goName) {
            super(goName);
        }

        /** The name Go prints for the struct in "Go struct field X.f" (without its package). */
        String shortName() {
            return goName.substring(goName.lastIndexOf('.') + 1);
        }

        Struct field(String json, Type t) {
            fields.put(json, t);
            return this;
        }

        /** An embedded struct whose fields are promoted into this one. */
        Struct inline(Struct other) {
            for (Map.Entry<String, Type> e : other.fields.entrySet()) {
                fields.putIfAbsent(e.getKey(), e.getValue());
            }
            return this;
        }
    }

    /** A pointer: the same decoding, named with a star (only visible in messages). */
    static final class Ptr extends Type {
        final Type elem;

        Ptr(Type elem) {
            super(elem.goName);
            this.elem = elem;
        }
    }

    static final Scalar STRING = new Scalar("string", 's');
    static final Scalar BOOL = new Scalar("bool", 'b');
    static final Scalar INT = new Scalar("int", 'i');
    static final Scalar INT64 = new Scalar("int64", 'i');
    static final Scalar ANY = new Scalar("interface {}", 'a');

    static Scalar named(String goName, char kind) {
        return new Scalar(goName, kind);
    }

    static Slice slice(Type t) {
        return new Slice(t);
    }

    static MapOf map(Type t) {
        return new MapOf(t);
    }

    static Ptr ptr(Type t) {
        return new Ptr(t);
    }

    /** What went wrong, worded as encoding/json words it. */
    static final class DecodeError extends RuntimeException {
        DecodeError(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean strict;
    private final boolean scalarsToStrings;
    private String firstError;

    private GoStruct(boolean strict, boolean scalarsToStrings) {
        this.strict = strict;
        this.scalarsToStrings = scalarsToStrings;
    }

    /**
     * Decodes a value; throws {@link DecodeError} with Go's message for the first problem.
     *
     * @param strict unknown fields are errors (json.Decoder.DisallowUnknownFields)
     */
    static Object decode(Object value, Type t, boolean strict) {
        return decode(value, t, strict, false);
    }

    /**
     * Decodes as sigs.k8s.io/yaml's Unmarshal does (plugin configurations, configuration files): before
     * the JSON decode, a number or boolean meant for a string field becomes its text.
     */
    static Object decodeYaml(Object value, Type t, boolean strict) {
        return decode(value, t, strict, true);
    }

    private static Object decode(Object value, Type t, boolean strict, boolean scalarsToStrings) {
        GoStruct d = new GoStruct(strict, scalarsToStrings);
        Object r = d.value(value, t, null, new ArrayList<>());
        if (d.firstError != null) {
            throw new DecodeError(d.firstError);
        }
        return r;
    }

    private void error(String msg) {
        if (firstError == null) {
            firstError = msg;
        }
    }

    private void typeError(Object v, Type t, String struct, List<String> stack) {
        String what = jsonKind(v);
        if (v instanceof Kustomization.JsonNumber n) {
            what = "number" + (t instanceof Scalar s && s.kind == 'i' ? " " + n.value() : "");
        }
        if (struct == null) {
            error("json: cannot unmarshal " + what + " into Go value of type " + t.goName);
        } else {
            error("json: cannot unmarshal " + what + " into Go struct field " + struct + "." + String.join(".", stack)
                    + " of type " + t.goName);
        }
    }

    static String jsonKind(Object v) {
        if (v instanceof Kustomization.JsonNumber || v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof Map) {
            return "object";
        }
        return "null";
    }

    private Object value(Object v, Type t, String struct, List<String> stack) {
        if (v == null) {
            return null;
        }
        if (t instanceof Ptr p) {
            return value(v, p.elem, struct, stack);
        }
        if (t instanceof Scalar s) {
            switch (s.kind) {
                case 'a':
                    return plain(v);
                case 's':
                    if (v instanceof String) {
                        return v;
                    }
                    if (scalarsToStrings && v instanceof Boolean b) {
                        return b.toString();
                    }
                    if (scalarsToStrings && v instanceof Kustomization.JsonNumber n) {
                        return numberText(n.value());
                    }
                    break;
                case 'b':
                    if (v instanceof Boolean) {
                        return v;
                    }
                    break;
                default:
                    if (v instanceof Kustomization.JsonNumber n) {
                        try {
                            long l = Long.parseLong(n.value());
                            if (s.goName.equals("int") || s.goName.equals("int64")) {
                                return l;
                            }
                            return l;
                        } catch (NumberFormatException e) {
                            typeError(v, t, struct, stack);
                            return null;
                        }
                    }
                    if (v instanceof Long) {
                        return v;
                    }
            }
            typeError(v, t, struct, stack);
            return null;
        }
        if (t instanceof Slice sl) {
            List<Object> l = Nodes.asList(v);
            if (l == null) {
                typeError(v, t, struct, stack);
                return null;
            }
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                Object d = value(x, sl.elem, struct, stack);
                out.add(d != null ? d : zero(sl.elem));
            }
            return out;
        }
        if (t instanceof MapOf mt) {
            Map<String, Object> m = Nodes.asMap(v);
            if (m == null) {
                typeError(v, t, struct, stack);
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : m.entrySet()) {
                Object d = value(e.getValue(), mt.elem, struct, stack);
                out.put(e.getKey(), d != null ? d : zero(mt.elem));
            }
            return out;
        }
        Struct st = (Struct) t;
        Map<String, Object> m = Nodes.asMap(v);
        if (m == null) {
            typeError(v, t, struct, stack);
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String name = fieldName(st, e.getKey());
            if (name == null) {
                if (strict) {
                    error("json: unknown field \"" + e.getKey() + "\"");
                }
                continue;
            }
            stack.add(name);
            Object d = value(e.getValue(), st.fields.get(name), st.shortName(), stack);
            stack.remove(stack.size() - 1);
            if (d != null) {
                out.put(name, d);
            } else if (e.getValue() == null) {
                // null leaves the field as it was (an earlier duplicate may have set it)
                continue;
            }
        }
        return out;
    }

    /** sigs.k8s.io/yaml's text for a number headed to a string: integers as such, floats as Go's %g of a float32. */
    static String numberText(String json) {
        try {
            return Long.toString(Long.parseLong(json));
        } catch (NumberFormatException e) {
            float f = Float.parseFloat(json);
            return io.currents.kustomize.yaml.GoScalars.formatGShortest(f);
        }
    }

    /** encoding/json's field lookup: an exact match, else the first case-insensitive one. */
    private static String fieldName(Struct st, String key) {
        if (st.fields.containsKey(key)) {
            return key;
        }
        for (String f : st.fields.keySet()) {
            if (f.equalsIgnoreCase(key)) {
                return f;
            }
        }
        return null;
    }

    private static Object zero(Type t) {
        if (t instanceof Scalar s) {
            return switch (s.kind) {
                case 's' -> "";
                case 'b' -> Boolean.FALSE;
                case 'i' -> 0L;
                default -> null;
            };
        }
        if (t instanceof Struct) {
            return new LinkedHashMap<String, Object>();
        }
        return null;
    }

    /** An interface{} value: numbers become float64 (Double), as encoding/json decodes them. */
    private static Object plain(Object v) {
        if (v instanceof Kustomization.JsonNumber n) {
            return Double.parseDouble(n.value());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(plain(x));
            }
            return out;
        }
        return v;
    }
}
