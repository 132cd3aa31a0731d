package io.bulwark.inspect;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * NoSQL operator injection: MongoDB query and update operators used as keys ({@code {"password": {"$ne": ""}}},
 * {@code user[$ne]=x}, {@code filter.$where}), and, at lower confidence, server-side JavaScript in values of the
 * kind {@code $where} evaluates ({@code this.password.match(/^a/)}, {@code sleep(5000)}).
 *
 * <p>Only known operators count: {@code $schema}, {@code $ref} or {@code $id} keys are JSON Schema, not attacks.
 */
public final class NoSqlDetector implements Detector {
    /** Operators that run JavaScript or arbitrary expressions on the server. */
    private static final Set<String> CODE_OPERATORS = Set.of("where", "function", "accumulator", "expr");

    private static final Set<String> OPERATORS = Set.of(
            "ne",
            "eq",
            "gt",
            "gte",
            "lt",
            "lte",
            "in",
            "nin",
            "regex",
            "options",
            "exists",
            "or",
            "and",
            "nor",
            "not",
            "elemmatch",
            "all",
            "size",
            "type",
            "mod",
            "text",
            "search",
            "jsonschema",
            "where",
            "expr",
            "function",
            "accumulator",
            "lookup",
            "graphlookup",
            "unionwith",
            "merge",
            "out",
            "set",
            "unset",
            "inc",
            "push",
            "pull",
            "rename",
            "setoninsert",
            "currentop",
            "comment",
            "geowithin",
            "near",
            "bitsallset",
            "cond",
            "switch",
            "substr",
            "concat",
            "tojson",
            "rand",
            "sample",
            "match",
            "project",
            "group",
            "addfields",
            "replaceroot",
            "facet");

    public NoSqlDetector() {}

    @Override
    public Category category() {
        return Category.NOSQLI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            Scan.Best best = new Scan.Best();
            if (value.isKey()) {
                key(form, value.location(), best);
            } else {
                value(form, value.location(), best);
            }
            best.reportTo(findings);
        }
    }

    /** A key: every {@code $word} at the start of a path segment ({@code $ne}, {@code a[$ne]}, {@code a.$gt}). */
    private static void key(String s, Location location, Scan.Best best) {
        int n = s.length();
        for (int i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i + 1)) {
            char before = i == 0 ? '[' : s.charAt(i - 1);
            if (before != '[' && before != '.' && before != '/' && before != '"' && before != '\'' && before != ' ') {
                continue;
            }
            String op = word(s, i + 1);
            if (op.isEmpty()) {
                continue;
            }
            String lower = op.toLowerCase(Locale.ROOT);
            if (!OPERATORS.contains(lower)) {
                continue;
            }
            boolean code = CODE_OPERATORS.contains(lower);
            best.offer(new Finding(Category.NOSQLI, code ? 0.95 : 0.9, location, Scan.excerpt(s, i), 1));
            if (code) {
                return;
            }
            i += op.length();
            if (i >= n) {
                break;
            }
        }
    }

    private static String word(String s, int at) {
        int e = at;
        while (e < s.length() && e - at < 24 && Scan.isAsciiLetter(s.charAt(e))) {
            e++;
        }
        return s.substring(at, e);
    }

    /** A value: operator objects smuggled in a string, and {@code $where}-style JavaScript. */
    private static void value(String s, Location location, Scan.Best best) {
        int n = s.length();
        // {"$ne": ...} or [$ne]= inside a value: a JSON or query string passed through a parameter.
        for (int i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i + 1)) {
            String op = word(s, i + 1);
            String lower = op.toLowerCase(Locale.ROOT);
            if (op.isEmpty() || !OPERATORS.contains(lower)) {
                continue;
            }
            char before = i == 0 ? ' ' : s.charAt(i - 1);
            int after = i + 1 + op.length();
            char next = after < n ? s.charAt(after) : ' ';
            boolean quotedKey =
                    (before == '"' || before == '\'') && (next == '"' || next == '\'') && colonFollows(s, after + 1);
            boolean bracketKey = before == '[' && next == ']';
            if (quotedKey || bracketKey) {
                best.offer(new Finding(Category.NOSQLI, 0.85, location, Scan.excerpt(s, Math.max(0, i - 1)), 1));
                return;
            }
            if (CODE_OPERATORS.contains(lower) && (next == ':' || next == '"' || next == '\'' || next == ' ')) {
                best.offer(new Finding(Category.NOSQLI, 0.7, location, Scan.excerpt(s, i), 2));
            }
        }
        // this.password.match(...), this.a == 'b': property access on "this" followed by JS syntax.
        for (int i = s.indexOf("this."); i >= 0; i = s.indexOf("this.", i + 5)) {
            if (i > 0 && Scan.isIdentChar(s.charAt(i - 1))) {
                continue;
            }
            int e = i + 5;
            int begin = e;
            while (e < n && e - begin < 64 && Scan.isIdentChar(s.charAt(e))) {
                e++;
            }
            if (e == begin || e >= n) {
                continue;
            }
            int k = e;
            while (k < n && k - e < 4 && s.charAt(k) == ' ') {
                k++;
            }
            char c = k < n ? s.charAt(k) : ' ';
            if (c == '.' || c == '(' || c == '[' || c == '=' || c == '!' || c == '<' || c == '>') {
                best.offer(new Finding(Category.NOSQLI, 0.6, location, Scan.excerpt(s, i), 2));
                break;
            }
        }
        // sleep(5000): the time-based probe of $where injection.
        for (int i = Scan.indexOfIgnoreCase(s, "sleep(", 0); i >= 0; i = Scan.indexOfIgnoreCase(s, "sleep(", i + 6)) {
            int k = i + 6;
            while (k < n && s.charAt(k) == ' ' && k - i < 12) {
                k++;
            }
            if (k < n && Scan.isAsciiDigit(s.charAt(k)) && (i == 0 || !Scan.isIdentChar(s.charAt(i - 1)))) {
                best.offer(new Finding(Category.NOSQLI, 0.5, location, Scan.excerpt(s, i), 3));
                break;
            }
        }
    }

    private static boolean colonFollows(String s, int at) {
        int k = at;
        while (k < s.length() && k - at < 8 && s.charAt(k) == ' ') {
            k++;
        }
        return k < s.length() && s.charAt(k) == ':';
    }
}
