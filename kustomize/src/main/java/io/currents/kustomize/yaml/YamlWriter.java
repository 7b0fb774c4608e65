package io.currents.kustomize.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes plain Java values as YAML exactly as kustomize prints them: kustomize turns every object into
 * JSON and back through go-yaml v2, so mapping keys come out sorted, sequences sit at their key's
 * indentation, scalars take the style go-yaml v2 chooses, and long lines fold at 80 columns.
 *
 * <p>It is one class of some 640 lines on purpose: it follows go-yaml v2's emitter, whose scalar analysis, style
 * choice and writers share the column, indentation and whitespace state, so that the output matches kustomize byte
 * for byte; split apart, that state would have to travel between classes.
 */
public final class YamlWriter {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;

    private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

    private final StringBuilder out;
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private boolean openEnded;
    private int indent = -1;
    private final int[] indents = new int[4096];
    private int depth;

    private YamlWriter(StringBuilder out) {
        this.out = out;
    }

    /** Appends one document (without a separator) to the buffer. */
    public static void writeDocument(Object value, StringBuilder out) {
        YamlWriter w = new YamlWriter(out);
        w.node(value, false, false);
        w.writeIndent();
        if (w.openEnded) {
            w.writeIndicator("...", true, false, false);
            w.writeIndent();
        }
    }

    public static String toYaml(Object value) {
        StringBuilder sb = new StringBuilder();
        writeDocument(value, sb);
        return sb.toString();
    }

    // ---- structure ----

    private void increaseIndent(boolean flow, boolean indentless) {
        indents[depth++] = indent;
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void popIndent() {
        indent = indents[--depth];
    }

    private void node(Object v, boolean mappingContext, boolean simpleKey) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                writeIndicator("{", true, true, false);
                writeIndicator("}", false, false, false);
            } else {
                mapping(m);
            }
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                writeIndicator("[", true, true, false);
                writeIndicator("]", false, false, false);
            } else {
                sequence(l, mappingContext);
            }
        } else {
            scalar(v, simpleKey);
        }
    }

    private void mapping(Map<?, ?> m) {
        if (depth > indents.length - 8) {
            throw new YamlException("document nested too deeply to write");
        }
        increaseIndent(false, false);
        for (String key : sortedKeys(m)) {
            writeIndent();
            if (isSimpleKey(key)) {
                scalar(key, true);
                writeIndicator(":", false, false, false);
            } else {
                writeIndicator("?", true, false, true);
                scalar(key, false);
                writeIndent();
                writeIndicator(":", true, false, true);
            }
            node(m.get(key), true, false);
        }
        popIndent();
    }

    private void sequence(List<?> l, boolean mappingContext) {
        if (depth > indents.length - 8) {
            throw new YamlException("document nested too deeply to write");
        }
        increaseIndent(false, mappingContext && !indention);
        for (Object item : l) {
            writeIndent();
            writeIndicator("-", true, false, true);
            node(item, false, false);
        }
        popIndent();
    }

    private static boolean isSimpleKey(String key) {
        if (key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0 || key.indexOf('\u0085') >= 0
                || key.indexOf('\u2028') >= 0 || key.indexOf('\u2029') >= 0) {
            return false;
        }
        return utf8Length(key) <= 128;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return n;
    }

    /** Key order of go-yaml v2: letters compare as text, digit runs compare as numbers. */
    static List<String> sortedKeys(Map<?, ?> m) {
        List<String> keys = new ArrayList<>(m.size());
        for (Object k : m.keySet()) {
            keys.add(String.valueOf(k));
        }
        // insertion-friendly merge sort that never rejects an inconsistent comparator
        String[] a = keys.toArray(new String[0]);
        mergeSort(a, new String[a.length], 0, a.length);
        return List.of(a);
    }

    private static void mergeSort(String[] a, String[] tmp, int lo, int hi) {
        if (hi - lo < 2) {
            return;
        }
        if (hi - lo <= 12) {
            for (int i = lo + 1; i < hi; i++) {
                String x = a[i];
                int j = i - 1;
                while (j >= lo && keyLess(x, a[j])) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid);
        mergeSort(a, tmp, mid, hi);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            tmp[k++] = keyLess(a[j], a[i]) ? a[j++] : a[i++];
        }
        while (i < mid) {
            tmp[k++] = a[i++];
        }
        while (j < hi) {
            tmp[k++] = a[j++];
        }
        System.arraycopy(tmp, lo, a, lo, hi - lo);
    }

    static boolean keyLess(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            int ai;
            int bi;
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            for (ai = i; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            for (bi = i; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }

    // ---- scalars ----

    private void scalar(Object v, boolean simpleKey) {
        String value;
        Style style;
        if (v == null) {
            value = "null";
            style = Style.PLAIN;
        } else if (v instanceof String s) {
            value = s;
            if (s.indexOf('\n') >= 0) {
                style = Style.LITERAL;
            } else if (GoScalars.v2CanUsePlain(s)) {
                style = Style.PLAIN;
            } else {
                style = Style.DOUBLE;
            }
        } else if (v instanceof Boolean b) {
            value = b ? "true" : "false";
            style = Style.PLAIN;
        } else if (v instanceof Double d) {
            value = GoScalars.formatFloatYamlV2(d);
            style = Style.PLAIN;
        } else if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            value = v.toString();
            style = Style.PLAIN;
        } else {
            value = v.toString();
            style = GoScalars.v2CanUsePlain(value) ? Style.PLAIN : Style.DOUBLE;
        }
        Analysis an = analyze(value);
        if (simpleKey && an.multiline) {
            style = Style.DOUBLE;
        }
        if (style == Style.PLAIN) {
            if (!an.blockPlainAllowed) {
                style = Style.SINGLE;
            }
            if (value.isEmpty() && simpleKey) {
                style = Style.SINGLE;
            }
        }
        if (style == Style.SINGLE && !an.singleQuotedAllowed) {
            style = Style.DOUBLE;
        }
        if (style == Style.LITERAL && (!an.blockAllowed || simpleKey)) {
            style = Style.DOUBLE;
        }
        increaseIndent(true, false);
        switch (style) {
            case PLAIN -> writePlain(value, !simpleKey);
            case SINGLE -> writeSingleQuoted(value, !simpleKey);
            case DOUBLE -> writeDoubleQuoted(value, !simpleKey);
            case LITERAL -> writeLiteral(value);
        }
        popIndent();
    }

    private record Analysis(boolean multiline, boolean blockPlainAllowed, boolean singleQuotedAllowed,
                            boolean blockAllowed) {
    }

    private static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    private static boolean isPrintable(int c) {
        return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }

    private static Analysis analyze(String value) {
        if (value.isEmpty()) {
            return new Analysis(false, true, true, false);
        }
        int[] cps = value.codePoints().toArray();
        boolean blockIndicators = false;
        boolean lineBreaks = false;
        boolean specialCharacters = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean previousSpace = false;
        boolean previousBreak = false;
        if (value.startsWith("---") || value.startsWith("...")) {
            blockIndicators = true;
        }
        boolean precededByWhitespace = true;
        int n = cps.length;
        for (int i = 0; i < n; i++) {
            int c = cps[i];
            boolean followedByWhitespace = i + 1 >= n || isBlank(cps[i + 1]);
            if (i == 0) {
                switch (c) {
                    case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' ->
                            blockIndicators = true;
                    case '?', ':' -> {
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    case '-' -> {
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    default -> {
                    }
                }
            } else {
                switch (c) {
                    case ':' -> {
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    case '#' -> {
                        if (precededByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    default -> {
                    }
                }
            }
            if (!isPrintable(c)) {
                specialCharacters = true;
            }
            if (c == ' ') {
                if (i == 0) {
                    leadingSpace = true;
                }
                if (i == n - 1) {
                    trailingSpace = true;
                }
                if (previousBreak) {
                    breakSpace = true;
                }
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak(c)) {
                lineBreaks = true;
                if (i == 0) {
                    leadingBreak = true;
                }
                if (i == n - 1) {
                    trailingBreak = true;
                }
                if (previousSpace) {
                    spaceBreak = true;
                }
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlank(c) || isBreak(c);
        }
        boolean blockPlain = true;
        boolean single = true;
        boolean block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            blockPlain = false;
        }
        if (trailingSpace) {
            block = false;
        }
        if (breakSpace) {
            blockPlain = false;
            single = false;
        }
        if (spaceBreak || specialCharacters) {
            blockPlain = false;
            single = false;
            block = false;
        }
        if (lineBreaks) {
            blockPlain = false;
        }
        if (blockIndicators) {
            blockPlain = false;
        }
        return new Analysis(lineBreaks, blockPlain, single, block);
    }

    // ---- low level writing ----

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void writeCp(int cp) {
        out.appendCodePoint(cp);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    private void writeIndent() {
        int ind = Math.max(indent, 0);
        if (!indention || column > ind || (column == ind && !whitespace)) {
            putBreak();
        }
        while (column < ind) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        for (int i = 0; i < indicator.length(); i++) {
            put(indicator.charAt(i));
        }
        whitespace = isWhitespace;
        indention = indention && isIndention;
        openEnded = false;
    }

    private void writePlain(String value, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        int[] cps = value.codePoints().toArray();
        boolean spaces = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !(i + 1 < cps.length && cps[i + 1] == ' ')) {
                    writeIndent();
                } else {
                    writeCp(c);
                }
                spaces = true;
            } else {
                writeCp(c);
                indention = false;
                spaces = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void writeSingleQuoted(String value, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        int[] cps = value.codePoints().toArray();
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1
                        && cps[i + 1] != ' ') {
                    writeIndent();
                } else {
                    writeCp(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    putBreak();
                }
                if (c == '\n') {
                    putBreak();
                } else {
                    out.appendCodePoint(c);
                    column = 0;
                }
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                if (c == '\'') {
                    put('\'');
                }
                writeCp(c);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeDoubleQuoted(String value, boolean allowBreaks) {
        boolean spaces = false;
        writeIndicator("\"", true, false, false);
        int[] cps = value.codePoints().toArray();
        // go-yaml v2's is_bom(value, i) looks at the start of the value, not at i: a value that begins with a
        // byte order mark has every character escaped (the mark as u+FEFF, then x41 for an A, ...), as kustomize prints it
        boolean bom = cps.length > 0 && cps[0] == 0xFEFF;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (!isPrintable(c) || bom || isBreak(c) || c == '"' || c == '\\') {
                put('\\');
                switch (c) {
                    case 0x00 -> put('0');
                    case 0x07 -> put('a');
                    case 0x08 -> put('b');
                    case 0x09 -> put('t');
                    case 0x0A -> put('n');
                    case 0x0B -> put('v');
                    case 0x0C -> put('f');
                    case 0x0D -> put('r');
                    case 0x1B -> put('e');
                    case 0x22 -> put('"');
                    case 0x5C -> put('\\');
                    case 0x85 -> put('N');
                    case 0xA0 -> put('_');
                    case 0x2028 -> put('L');
                    case 0x2029 -> put('P');
                    default -> {
                        int w;
                        if (c <= 0xFF) {
                            put('x');
                            w = 2;
                        } else if (c <= 0xFFFF) {
                            put('u');
                            w = 4;
                        } else {
                            put('U');
                            w = 8;
                        }
                        for (int k = (w - 1) * 4; k >= 0; k -= 4) {
                            int digit = (c >> k) & 0x0F;
                            put((char) (digit < 10 ? '0' + digit : 'A' + digit - 10));
                        }
                    }
                }
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
                    writeIndent();
                    if (i + 1 < cps.length && cps[i + 1] == ' ') {
                        put('\\');
                    }
                } else {
                    writeCp(c);
                }
                spaces = true;
            } else {
                writeCp(c);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeLiteral(String value) {
        writeIndicator("|", true, false, false);
        int[] cps = value.codePoints().toArray();
        int n = cps.length;
        if (n > 0 && (cps[0] == ' ' || isBreak(cps[0]))) {
            writeIndicator(String.valueOf(BEST_INDENT), false, false, false);
        }
        openEnded = false;
        String chomp = null;
        if (n == 0 || !isBreak(cps[n - 1])) {
            chomp = "-";
        } else if (n == 1) {
            chomp = "+";
            openEnded = true;
        } else if (isBreak(cps[n - 2])) {
            chomp = "+";
            openEnded = true;
        }
        if (chomp != null) {
            boolean keep = openEnded;
            writeIndicator(chomp, false, false, false);
            openEnded = keep;
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        for (int c : cps) {
            if (isBreak(c)) {
                if (c == '\n') {
                    putBreak();
                } else {
                    out.appendCodePoint(c);
                    column = 0;
                }
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                writeCp(c);
                indention = false;
                breaks = false;
            }
        }
    }
}
