package io.currents.kustomize.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scalar resolution and number formatting with the rules of the Go libraries kustomize is built on
 * (go-yaml v3 for reading, go-yaml v2 and encoding/json for writing).
 */
public final class GoScalars {
    private GoScalars() {
    }

    /** Marker for a value that cannot be represented (a YAML 1.2 resolution failed). */
    private static final Object NO_VALUE = new Object();

    private static final Pattern YAML_STYLE_FLOAT =
            Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static final Pattern BASE60_FLOAT =
            Pattern.compile("^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$");

    private static final Set<String> V3_TRUE = Set.of("true", "True", "TRUE");
    private static final Set<String> V3_FALSE = Set.of("false", "False", "FALSE");
    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
    private static final Set<String> NANS = Set.of(".nan", ".NaN", ".NAN");
    private static final Set<String> POS_INF = Set.of(".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
    private static final Set<String> NEG_INF = Set.of("-.inf", "-.Inf", "-.INF");
    private static final Set<String> V2_TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> V2_FALSE = Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");

    private static char hint(String in) {
        if (in.isEmpty()) {
            return 'N';
        }
        char c = in.charAt(0);
        if (c == '+' || c == '-') {
            return 'S';
        }
        if (c >= '0' && c <= '9') {
            return 'D';
        }
        if ("yYnNtTfFoO~".indexOf(c) >= 0) {
            return 'M';
        }
        if (c == '.') {
            return '.';
        }
        return 0;
    }

    /**
     * Resolves an untagged plain scalar as go-yaml v3 does when decoding into interface{}.
     * Returns String, Boolean, Long, BigInteger, Double or null. Timestamps become their RFC 3339 text.
     */
    public static Object resolvePlainV3(String in) {
        char hint = hint(in);
        if (hint == 0) {
            return in;
        }
        if (NULLS.contains(in)) {
            return null;
        }
        if (V3_TRUE.contains(in)) {
            return Boolean.TRUE;
        }
        if (V3_FALSE.contains(in)) {
            return Boolean.FALSE;
        }
        if (NANS.contains(in)) {
            return Double.NaN;
        }
        if (POS_INF.contains(in)) {
            return Double.POSITIVE_INFINITY;
        }
        if (NEG_INF.contains(in)) {
            return Double.NEGATIVE_INFINITY;
        }
        switch (hint) {
            case '.' -> {
                Double d = goParseFloat(in);
                if (d != null) {
                    return d;
                }
            }
            case 'D', 'S' -> {
                String ts = GoTime.parseTimestamp(in);
                if (ts != null) {
                    return ts;
                }
                Object n = resolveNumber(in.replace("_", ""), true);
                if (n != NO_VALUE) {
                    return n;
                }
            }
            default -> {
            }
        }
        return in;
    }

    /** Resolves a scalar with an explicit YAML core tag (!!int, !!float, !!bool, !!null, !!str, !!timestamp). */
    public static Object resolveTagged(String tag, String in) {
        switch (tag) {
            case "tag:yaml.org,2002:str", "tag:yaml.org,2002:binary":
                return in;
            case "tag:yaml.org,2002:null":
                if (NULLS.contains(in)) {
                    return null;
                }
                break;
            case "tag:yaml.org,2002:bool":
                if (V3_TRUE.contains(in)) {
                    return Boolean.TRUE;
                }
                if (V3_FALSE.contains(in)) {
                    return Boolean.FALSE;
                }
                break;
            case "tag:yaml.org,2002:int": {
                Object v = resolvePlainV3(in);
                if (v instanceof Long || v instanceof BigInteger) {
                    return v;
                }
                break;
            }
            case "tag:yaml.org,2002:float": {
                Object v = resolvePlainV3(in);
                if (v instanceof Double) {
                    return v;
                }
                if (v instanceof Long l) {
                    return l.doubleValue();
                }
                if (v instanceof BigInteger b) {
                    return b.doubleValue();
                }
                break;
            }
            case "tag:yaml.org,2002:timestamp": {
                String ts = GoTime.parseTimestamp(in);
                if (ts != null) {
                    return ts;
                }
                break;
            }
            default:
                return in;
        }
        throw new IllegalArgumentException("cannot decode `" + in + "` as a " + shortTag(tag));
    }

    private static String shortTag(String tag) {
        return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring("tag:yaml.org,2002:".length()) : tag;
    }

    private static Object resolveNumber(String plain, boolean v3) {
        BigInteger i = goParseIntBase0(plain);
        if (i != null) {
            if (i.bitLength() < 64) {
                return i.longValue();
            }
            if (i.signum() > 0 && i.bitLength() <= 64) {
                return i; // uint64
            }
        }
        if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
            Double d = goParseFloat(plain);
            if (d != null) {
                return d;
            }
        }
        if (plain.startsWith("0b") || plain.startsWith("-0b")) {
            boolean neg = plain.startsWith("-");
            String digits = plain.substring(neg ? 3 : 2);
            if (!digits.isEmpty() && digits.chars().allMatch(c -> c == '0' || c == '1')) {
                BigInteger b = new BigInteger(digits, 2);
                if (neg) {
                    b = b.negate();
                }
                if (b.bitLength() < 64 || (!neg && b.bitLength() <= 64)) {
                    return b.bitLength() < 64 ? (Object) b.longValue() : b;
                }
            }
        }
        if (v3 && (plain.startsWith("0o") || plain.startsWith("-0o"))) {
            boolean neg = plain.startsWith("-");
            String digits = plain.substring(neg ? 3 : 2);
            if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '7')) {
                BigInteger b = new BigInteger(digits, 8);
                if (neg) {
                    b = b.negate();
                }
                if (b.bitLength() < 64) {
                    return b.longValue();
                }
            }
        }
        if (i != null) {
            return i; // out of 64-bit range: big.Int
        }
        return NO_VALUE;
    }

    /** strconv.ParseInt(s, 0, ...) without range checking; null on syntax error. */
    static BigInteger goParseIntBase0(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean neg = false;
        int p = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            neg = s.charAt(0) == '-';
            p = 1;
        }
        String body = s.substring(p);
        if (body.isEmpty()) {
            return null;
        }
        int radix = 10;
        if (body.length() >= 2 && body.charAt(0) == '0') {
            char c = Character.toLowerCase(body.charAt(1));
            if (c == 'x') {
                radix = 16;
                body = body.substring(2);
            } else if (c == 'o') {
                radix = 8;
                body = body.substring(2);
            } else if (c == 'b') {
                radix = 2;
                body = body.substring(2);
            } else {
                radix = 8;
                body = body.substring(1);
            }
        }
        if (body.isEmpty()) {
            return null;
        }
        for (int k = 0; k < body.length(); k++) {
            if (Character.digit(body.charAt(k), radix) < 0 || body.charAt(k) > 'z') {
                return null;
            }
        }
        BigInteger v = new BigInteger(body, radix);
        return neg ? v.negate() : v;
    }

    /** strconv.ParseFloat for the decimal forms YAML uses; null on syntax or range error. */
    static Double goParseFloat(String s) {
        if (!YAML_STYLE_FLOAT.matcher(s).matches()) {
            String l = s.toLowerCase();
            if (l.equals("inf") || l.equals("+inf") || l.equals("infinity") || l.equals("+infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            if (l.equals("-inf") || l.equals("-infinity")) {
                return Double.NEGATIVE_INFINITY;
            }
            if (l.equals("nan")) {
                return Double.NaN;
            }
            return null;
        }
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            return null; // Go reports ErrRange
        }
        return d;
    }

    /** Whether go-yaml v2 would resolve this untagged plain text to something other than a string. */
    static boolean v2ResolvesToNonString(String in) {
        char hint = hint(in);
        if (hint == 0) {
            return false;
        }
        if (NULLS.contains(in) || V2_TRUE.contains(in) || V2_FALSE.contains(in) || NANS.contains(in)
                || POS_INF.contains(in) || NEG_INF.contains(in)) {
            return true;
        }
        switch (hint) {
            case '.':
                return goParseFloat(in) != null;
            case 'D', 'S': {
                if (GoTime.parseTimestamp(in) != null) {
                    return true;
                }
                return resolveNumber(in.replace("_", ""), false) != NO_VALUE;
            }
            default:
                return false;
        }
    }

    /** go-yaml v2 would write this string plain if the emitter allows it (else double-quoted). */
    static boolean v2CanUsePlain(String s) {
        if (v2ResolvesToNonString(s)) {
            return false;
        }
        if (s.isEmpty()) {
            return true;
        }
        char c = s.charAt(0);
        if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.indexOf(':') < 0) {
            return true;
        }
        return !BASE60_FLOAT.matcher(s).matches();
    }

    /**
     * What a kustomization string field receives for a plain YAML 1.1 scalar (sigs.k8s.io/yaml: the
     * YAML is decoded by go-yaml v2, then re-encoded into the string target).
     */
    public static String v2PlainToStringField(String in) {
        if (in.isEmpty() || NULLS.contains(in)) {
            return null;
        }
        if (V2_TRUE.contains(in)) {
            return "true";
        }
        if (V2_FALSE.contains(in)) {
            return "false";
        }
        char hint = hint(in);
        if (hint == 'D' || hint == 'S' || hint == '.') {
            if (hint != '.' && GoTime.parseTimestamp(in) != null) {
                return in;
            }
            Object n = hint == '.' ? goParseFloat(in) : resolveNumber(in.replace("_", ""), false);
            if (n == null || n == NO_VALUE) {
                return in;
            }
            if (n instanceof Double d) {
                if (d.isNaN() || d.isInfinite()) {
                    return in;
                }
                return formatFloat32(d);
            }
            return n.toString();
        }
        return in;
    }

    private static String formatFloat32(double d) {
        // sigs.k8s.io/yaml formats floats destined for string fields with 32-bit precision
        float f = (float) d;
        BigDecimal bd = new BigDecimal(Float.toString(f));
        return formatG(bd, d < 0 || (d == 0 && 1 / d < 0));
    }

    /** strconv.FormatFloat(f, 'g', -1, 64) as used by go-yaml v2 for floats. */
    public static String formatFloatYamlV2(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        return formatG(new BigDecimal(Double.toString(Math.abs(d))), d < 0);
    }

    private static String formatG(BigDecimal abs, boolean neg) {
        abs = abs.abs().stripTrailingZeros();
        String digits = abs.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - abs.scale(); // decimal point position
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder();
        if (neg) {
            sb.append('-');
        }
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
            return sb.toString();
        }
        appendFixed(sb, digits, dp);
        return sb.toString();
    }

    private static void appendFixed(StringBuilder sb, String digits, int dp) {
        int nd = digits.length();
        if (dp <= 0) {
            sb.append("0.");
            sb.append("0".repeat(-dp));
            sb.append(digits);
        } else if (dp >= nd) {
            sb.append(digits);
            sb.append("0".repeat(dp - nd));
        } else {
            sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
    }

    /** encoding/json's text for a float64. */
    public static String formatFloatJson(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("json: unsupported value: " + (Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf"));
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        double a = Math.abs(d);
        BigDecimal bd = new BigDecimal(Double.toString(a)).stripTrailingZeros();
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        String digits = bd.unscaledValue().toString();
        int dp = digits.length() - bd.scale();
        if (a < 1e-6 || a >= 1e21) {
            int exp = dp - 1;
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
            return sb.toString();
        }
        appendFixed(sb, digits, dp);
        return sb.toString();
    }

    /** Go's strconv.FormatFloat(f, 'g', -1, 32): the shortest float32 digits, exponent form past 1e+06 or below 1e-04. */
    public static String formatGShortest(float f) {
        if (Float.isNaN(f)) {
            return "NaN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return (1 / f < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Float.toString(Math.abs(f))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int dp = digits.length() - bd.scale();
        StringBuilder sb = new StringBuilder();
        if (f < 0) {
            sb.append('-');
        }
        int exp = dp - 1;
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            if (Math.abs(exp) < 10) {
                sb.append('0');
            }
            sb.append(Math.abs(exp));
            return sb.toString();
        }
        appendFixed(sb, digits, dp);
        return sb.toString();
    }

    /**
     * The value a number has after kustomize's round trip through JSON and go-yaml v2: integral
     * floats become integers, the rest stay floats.
     */
    public static Object normalizeNumber(Object v) {
        if (v instanceof String s) {
            checkReadableByYamlV2(s);
            if (s.indexOf('\u0085') >= 0) {
                return foldNextLines(s);
            }
            return s;
        }
        if (v instanceof Double d) {
            String json = formatFloatJson(d);
            BigInteger i = goParseIntBase0(json);
            if (i != null) {
                if (i.bitLength() < 64) {
                    return i.longValue();
                }
                if (i.signum() > 0 && i.bitLength() <= 64) {
                    return i;
                }
            }
            return Double.parseDouble(json);
        }
        return v;
    }


    /**
     * encoding/json leaves DEL, C1 controls and U+FFFE/U+FFFF unescaped, and go-yaml v2 refuses to read
     * them back: kustomize fails on such strings.
     */
    private static void checkReadableByYamlV2(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85) || c == 0xFFFE || c == 0xFFFF) {
                throw new IllegalArgumentException("yaml: control characters are not allowed");
            }
        }
    }

    /** A raw NEL inside a JSON string is folded by go-yaml v2's reader like a line break. */
    private static String foldNextLines(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\u0085') {
                int j = i;
                int breaks = 0;
                while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\u0085')) {
                    if (s.charAt(j) == '\u0085') {
                        breaks++;
                    }
                    j++;
                }
                if (breaks == 0) {
                    sb.append(s, i, j);
                } else if (breaks == 1) {
                    sb.append(' ');
                } else {
                    sb.append("\n".repeat(breaks - 1));
                }
                i = j;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
