package io.currents.kustomize.yaml;

import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The YAML timestamp forms go-yaml recognises, and their RFC 3339 text as Go's JSON encoder writes it. */
final class GoTime {
    private GoTime() {
    }

    private static final Pattern TS = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:([Tt ])(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d+))?(Z|[+-]\\d{2}:\\d{2})?)?");

    /** Returns the RFC3339Nano text of a timestamp, or null if the text is not one. */
    static String parseTimestamp(String s) {
        if (s.length() < 8 || !Character.isDigit(s.charAt(0))) {
            return null;
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i != 4 || i == s.length() || s.charAt(i) != '-') {
            return null;
        }
        Matcher m = TS.matcher(s);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        String sep = m.group(4);
        int hour = 0;
        int min = 0;
        int sec = 0;
        String frac = "";
        String zone = "Z";
        if (sep != null) {
            boolean hasZone = m.group(9) != null;
            if (sep.equals(" ") == hasZone) {
                return null;
            }
            hour = Integer.parseInt(m.group(5));
            min = Integer.parseInt(m.group(6));
            sec = Integer.parseInt(m.group(7));
            if (hour > 23 || min > 59 || sec > 59) {
                return null;
            }
            if (m.group(8) != null) {
                frac = m.group(8);
                if (frac.length() > 9) {
                    frac = frac.substring(0, 9);
                }
                frac = frac.replaceAll("0+$", "");
            }
            if (hasZone && !m.group(9).equals("Z")) {
                String z = m.group(9);
                int oh = Integer.parseInt(z.substring(1, 3));
                int om = Integer.parseInt(z.substring(4, 6));
                if (oh > 24 || om > 59) {
                    return null;
                }
                zone = (oh == 0 && om == 0) ? "Z" : z;
            }
        }
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", year, month, day, hour, min, sec,
                frac.isEmpty() ? "" : "." + frac, zone);
    }
}
