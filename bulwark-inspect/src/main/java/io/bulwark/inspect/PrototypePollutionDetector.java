package io.bulwark.inspect;

import java.util.function.Consumer;

/**
 * Prototype pollution: a key path that reaches {@code Object.prototype} through {@code __proto__} or {@code
 * constructor.prototype}, in JSON keys ({@code {"__proto__": {...}}}, {@code /a/constructor/prototype}), query
 * and form keys ({@code a[__proto__][x]}, {@code constructor[prototype][x]}, {@code __proto__.polluted}), and in
 * values that are themselves key paths or JSON ({@code __proto__.foo=bar} in a cookie).
 *
 * <p>A lone {@code constructor} or {@code prototype} (a field name in many APIs) is not an attack; {@code
 * __proto__} as a plain word in text counts only at paranoia 2.
 */
public final class PrototypePollutionDetector implements Detector {
    private static final String PROTO = "__proto__";

    public PrototypePollutionDetector() {}

    @Override
    public Category category() {
        return Category.PROTOTYPE_POLLUTION;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            Scan.Best best = new Scan.Best();
            String s = Scan.decodeLite(form, 2);
            if (value.isKey()) {
                key(s, value.location(), best);
            } else {
                value(s, value.location(), best);
            }
            best.reportTo(findings);
        }
    }

    private static void key(String s, Location location, Scan.Best best) {
        if (segmentAt(s, PROTO) >= 0) {
            best.offer(new Finding(Category.PROTOTYPE_POLLUTION, 0.95, location, s, 1));
            return;
        }
        if (constructorPrototype(s) >= 0) {
            best.offer(new Finding(Category.PROTOTYPE_POLLUTION, 0.9, location, s, 1));
            return;
        }
        // A JSON key "prototype" under a "constructor" object: the path is in the location.
        if (location.source() == Location.Source.JSON
                && (s.equals("prototype") || s.equals("constructor") || s.equals(PROTO))) {
            String path = location.name() + "/" + s;
            if (constructorPrototype(path) >= 0 || segmentAt(path, PROTO) >= 0) {
                best.offer(new Finding(Category.PROTOTYPE_POLLUTION, 0.9, location, path, 1));
            }
        }
    }

    private static void value(String s, Location location, Scan.Best best) {
        int at = segmentAt(s, PROTO);
        if (at >= 0) {
            best.offer(new Finding(Category.PROTOTYPE_POLLUTION, 0.85, location, Scan.excerpt(s, at), 1));
            return;
        }
        int cp = constructorPrototype(s);
        if (cp >= 0) {
            best.offer(new Finding(Category.PROTOTYPE_POLLUTION, 0.8, location, Scan.excerpt(s, cp), 1));
            return;
        }
        int word = s.indexOf(PROTO);
        if (word >= 0) {
            best.offer(new Finding(Category.PROTOTYPE_POLLUTION, 0.5, location, Scan.excerpt(s, word), 2));
        }
    }

    private static boolean isDelimiter(char c) {
        return c == '[' || c == ']' || c == '.' || c == '"' || c == '\'' || c == '/' || c == ':' || c == '{' || c == '}'
                || c == '=' || c == ',' || c == ' ' || c == '\t' || c == '&' || c == '?' || c == ';';
    }

    /** Index of {@code word} as a whole key-path segment (delimited on both sides), or -1. */
    private static int segmentAt(String s, String word) {
        for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
            int end = i + word.length();
            boolean left = i == 0 || isDelimiter(s.charAt(i - 1));
            boolean right = end == s.length() || isDelimiter(s.charAt(end));
            if (left && right) {
                return i;
            }
        }
        return -1;
    }

    /** Index of a {@code constructor} segment followed, across at most a few delimiters, by {@code prototype}. */
    private static int constructorPrototype(String s) {
        for (int i = s.indexOf("constructor"); i >= 0; i = s.indexOf("constructor", i + 1)) {
            if (i > 0 && !isDelimiter(s.charAt(i - 1))) {
                continue;
            }
            int k = i + "constructor".length();
            int d = k;
            while (d < s.length() && d - k < 8 && isDelimiter(s.charAt(d))) {
                d++;
            }
            if (d == k || !s.startsWith("prototype", d)) {
                continue;
            }
            int end = d + "prototype".length();
            if (end == s.length() || isDelimiter(s.charAt(end))) {
                return i;
            }
        }
        return -1;
    }
}
