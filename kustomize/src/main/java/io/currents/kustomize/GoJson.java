package io.currents.kustomize;

import io.currents.kustomize.yaml.GoScalars;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** encoding/json's output for the document model: sorted keys, Go's string escaping and number text. */
final class GoJson {
    private GoJson() {
    }

    static String marshal(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>(GoJson::compareBytes);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sorted.put(String.valueOf(e.getKey()), e.getValue());
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            string(s, sb);
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Double d) {
            sb.append(GoScalars.formatFloatJson(d));
        } else if (v instanceof Long || v instanceof BigInteger || v instanceof Integer) {
            sb.append(v);
        } else {
            string(v.toString(), sb);
        }
    }

    /** Go compares map keys as UTF-8 bytes. */
    private static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(c, sb);
                default -> {
                    if (c < 0x20) {
                        unicode(c, sb);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicode(char c, StringBuilder sb) {
        sb.append("\\u00");
        if (c > 0xFF) {
            sb.setLength(sb.length() - 2);
            sb.append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]);
        }
        sb.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
