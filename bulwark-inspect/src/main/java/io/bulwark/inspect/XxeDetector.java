package io.bulwark.inspect;

import java.util.function.Consumer;

/**
 * XML external entities and entity expansion: a document type declaration with external entities ({@code
 * SYSTEM}, {@code PUBLIC}), parameter entities, entity definitions that reference other entities many times (the
 * "billion laughs"), an external DTD, and XInclude. Bodies sent as UTF-16 and read as single bytes (NUL between
 * the characters) are folded back first. A plain XML document, with or without {@code <?xml ...?>}, is not an
 * attack, and neither is {@code <!DOCTYPE html>}.
 *
 * <p>One forward pass over the value: every declaration is found with {@code indexOf}, never re-scanned.
 */
public final class XxeDetector implements Detector {
    /** Entity references inside entity values from which a DTD counts as an expansion bomb. */
    static final int BOMB_REFERENCES = 8;
    /** Entity declarations from which a DTD counts as hostile whatever they contain. */
    static final int MANY_ENTITIES = 64;

    public XxeDetector() {}

    @Override
    public Category category() {
        return Category.XXE;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            Scan.Best best = new Scan.Best();
            scan(unwide(form), value.location(), best);
            best.reportTo(findings);
        }
    }

    /** UTF-16 read as bytes: "<\0!\0D\0..." (or swapped). Drops the NULs when they fill every other char. */
    static String unwide(String s) {
        int probe = Math.min(s.length(), 64);
        int nuls = 0;
        for (int i = 0; i < probe; i++) {
            if (s.charAt(i) == 0) {
                nuls++;
            }
        }
        if (probe < 8 || nuls * 3 < probe) {
            return s.startsWith("\ufeff") ? s.substring(1) : s;
        }
        StringBuilder b = new StringBuilder(s.length() / 2 + 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != 0 && c != 0xfe && c != 0xff) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void scan(String s, Location location, Scan.Best best) {
        if (s.indexOf('<') < 0) {
            return;
        }
        int xinclude = Scan.indexOfIgnoreCase(s, "xi:include", 0);
        if (xinclude < 0) {
            int ns = Scan.indexOfIgnoreCase(s, "/xinclude", 0);
            if (ns >= 0 && Scan.indexOfIgnoreCase(s, ":include", 0) >= 0) {
                xinclude = ns;
            }
        }
        if (xinclude >= 0) {
            best.offer(new Finding(Category.XXE, 0.9, location, Scan.excerpt(s, Math.max(0, xinclude - 1)), 1));
        }
        int doctype = declaration(s, "doctype", 0);
        if (doctype < 0) {
            // Entity declarations outside a DOCTYPE are not XML, but still only ever sent to attack a parser.
            int entity = declaration(s, "entity", 0);
            if (entity >= 0 && looksDeclared(s, entity)) {
                best.offer(new Finding(Category.XXE, 0.6, location, Scan.excerpt(s, entity), 2));
            }
            return;
        }
        String evidence = Scan.excerpt(s, doctype);
        int n = s.length();
        // <!DOCTYPE name SYSTEM "uri"> or PUBLIC "id" "uri": an external DTD.
        int subset = s.indexOf('[', doctype);
        int close = s.indexOf('>', doctype);
        int headEnd = close < 0 ? n : (subset >= 0 && subset < close ? subset : close);
        String head = s.substring(doctype, Math.min(headEnd, doctype + 512));
        if (Scan.containsIgnoreCase(head, "system") || Scan.containsIgnoreCase(head, "public")) {
            boolean html = Scan.containsIgnoreCase(head, "html") && Scan.containsIgnoreCase(head, "w3c");
            if (!html) {
                best.offer(new Finding(Category.XXE, 0.85, location, evidence, 1));
            }
        }
        int entities = 0;
        int references = 0;
        int from = doctype;
        while (true) {
            int e = declaration(s, "entity", from);
            if (e < 0) {
                break;
            }
            entities++;
            int end = endOfDeclaration(s, e);
            int body = e + "<!entity".length();
            int k = skipSpace(s, body);
            boolean parameter = k < n && s.charAt(k) == '%';
            boolean external = false;
            int refs = 0;
            // Keywords and references are searched only inside this declaration: the pass stays linear.
            for (int i = k; i < end; i++) {
                char c = s.charAt(i);
                if (c == '&' || (c == '%' && i > k)) {
                    refs++;
                } else if ((c == 'S' || c == 's') && Scan.regionMatches(s, i, "system") && isWordEdge(s, i - 1)) {
                    external = true;
                } else if ((c == 'P' || c == 'p') && Scan.regionMatches(s, i, "public") && isWordEdge(s, i - 1)) {
                    external = true;
                }
            }
            references += refs;
            if (external) {
                best.offer(new Finding(Category.XXE, 0.97, location, Scan.excerpt(s, e), 1));
            } else if (parameter) {
                best.offer(new Finding(Category.XXE, 0.95, location, Scan.excerpt(s, e), 1));
            }
            from = Math.max(end, e + 1);
        }
        if (references >= BOMB_REFERENCES || entities >= MANY_ENTITIES) {
            best.offer(new Finding(Category.XXE, 0.95, location, evidence, 1));
        } else if (entities > 0) {
            // An internal entity in a request body: legitimate documents almost never declare one.
            best.offer(new Finding(Category.XXE, 0.6, location, evidence, 2));
        }
        // %name; used in the internal subset: parameter entities being expanded.
        if (subset >= 0 && (close < 0 || subset < close || entities > 0)) {
            int pct = s.indexOf('%', subset);
            if (pct >= 0 && pct + 1 < n && Scan.isIdentChar(s.charAt(pct + 1))) {
                int e = pct + 1;
                while (e < n && e - pct < 64 && (Scan.isIdentChar(s.charAt(e)) || s.charAt(e) == '-')) {
                    e++;
                }
                if (e < n && s.charAt(e) == ';') {
                    best.offer(new Finding(Category.XXE, 0.9, location, Scan.excerpt(s, pct), 1));
                }
            }
        }
    }

    /** {@code <!ENTITY [%] name "value">}, {@code ... SYSTEM}, {@code ... PUBLIC}: not just the word. */
    private static boolean looksDeclared(String s, int at) {
        int k = skipSpace(s, skipSpace(s, at + 2) + "entity".length());
        if (k < s.length() && s.charAt(k) == '%') {
            return true;
        }
        int e = k;
        while (e < s.length() && e - k < 64 && !Character.isWhitespace(s.charAt(e)) && s.charAt(e) != '>') {
            e++;
        }
        int v = skipSpace(s, e);
        return e > k
                && v < s.length()
                && (s.charAt(v) == '"'
                        || s.charAt(v) == '\''
                        || Scan.regionMatches(s, v, "system")
                        || Scan.regionMatches(s, v, "public"));
    }

    /** Index of {@code <!keyword} (whitespace allowed after {@code <!}), case-insensitive, or -1. */
    private static int declaration(String s, String keyword, int from) {
        int i = s.indexOf("<!", from);
        while (i >= 0) {
            int k = skipSpace(s, i + 2);
            if (Scan.regionMatches(s, k, keyword)) {
                return i;
            }
            i = s.indexOf("<!", i + 2);
        }
        return -1;
    }

    /** The end of the declaration at {@code at}: its '>' outside quotes, or the end of the value. */
    private static int endOfDeclaration(String s, int at) {
        char quote = 0;
        for (int i = at + 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            } else if (c == '<') {
                return i;
            }
        }
        return s.length();
    }

    private static int skipSpace(String s, int at) {
        int k = at;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        return k;
    }

    private static boolean isWordEdge(String s, int i) {
        return i < 0 || !Scan.isAsciiLetter(s.charAt(i));
    }
}
