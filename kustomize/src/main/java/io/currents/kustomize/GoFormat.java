package io.currents.kustomize;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Go's fmt {@code %T} and {@code %v} of the values kyaml decodes a field to, for kustomize's log lines. */
final class GoFormat {
    private GoFormat() {
    }

    /** {@code %T}: the dynamic type yaml.v3 gives a decoded node. */
    static String typeOf(Object v) {
        if (v instanceof Map<?, ?>) {
            return "map[string]interface {}";
        }
        if (v instanceof List<?>) {
            return "[]interface {}";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double) {
            return "float64";
        }
        return v == null ? "<nil>" : "int";
    }

    /** {@code %v}: maps with their keys sorted, lists space-separated, floats as {@code %g}. */
    static String value(Object v) {
        StringBuilder sb = new StringBuilder();
        append(v, sb);
        return sb.toString();
    }

    private static void append(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("<nil>");
        } else if (v instanceof Map<?, ?> m) {
            sb.append("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(e.getKey()).append(':');
                append(e.getValue(), sb);
            }
            sb.append(']');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                append(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Double d) {
            sb.append(formatG(d));
        } else {
            sb.append(v);
        }
    }

    /** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form below 1e-4 and from 1e6. */
    static String formatG(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - bd.scale() - 1;
        String sign = d < 0 ? "-" : "";
        // shortest %g uses precision 6 to choose the exponent form, whatever the digit count
        if (exp < -4 || exp >= 6) {
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            String e = String.valueOf(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + bd.toPlainString();
    }
}
