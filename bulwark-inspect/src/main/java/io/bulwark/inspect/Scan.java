package io.bulwark.inspect;

import java.util.function.Consumer;

/**
 * Shared pieces of the hand-written scanners: case folding that keeps indexes, character classes, and the best
 * match seen in one form. Package-private: the detectors are the public surface.
 */
final class Scan {
    private Scan() {}

    /** Lower-cases char by char, so that indexes in the result are indexes in the original. */
    static char[] lower(String s) {
        char[] c = new char[s.length()];
        for (int i = 0; i < c.length; i++) {
            char ch = s.charAt(i);
            c[i] = ch < 0x80 ? (ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch) : Character.toLowerCase(ch);
        }
        return c;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isWordChar(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }

    static boolean startsWith(char[] s, int i, String k) {
        if (i < 0 || i + k.length() > s.length) {
            return false;
        }
        for (int j = 0; j < k.length(); j++) {
            if (s[i + j] != k.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** First index of k at or after from, or -1. Keywords are short, so this stays linear in practice. */
    static int indexOf(char[] s, String k, int from) {
        return indexOf(s, k, from, s.length);
    }

    /** First index of k within [from, to), or -1: callers bound the search so repeated look-ups stay linear. */
    static int indexOf(char[] s, String k, int from, int to) {
        char first = k.charAt(0);
        int last = Math.min(to, s.length) - k.length();
        for (int i = Math.max(0, from); i <= last; i++) {
            if (s[i] == first && startsWith(s, i, k)) {
                return i;
            }
        }
        return -1;
    }

    /** True when s contains k within [from, to). */
    static boolean contains(char[] s, String k, int from, int to) {
        return indexOf(s, k, from, to) >= 0;
    }

    /** The best match in one form: the lowest paranoia level, then the highest confidence. */
    static final class Hit {
        int paranoia = Integer.MAX_VALUE;
        double confidence;
        int start;
        int end;

        void offer(int paranoia, double confidence, int start, int end) {
            if (paranoia < this.paranoia || (paranoia == this.paranoia && confidence > this.confidence)) {
                this.paranoia = paranoia;
                this.confidence = confidence;
                this.start = start;
                this.end = end;
            }
        }

        boolean found() {
            return paranoia != Integer.MAX_VALUE;
        }

        /** True once nothing better can come: scanners stop early on a certain level 1 match. */
        boolean certain() {
            return paranoia == 1 && confidence >= 0.95;
        }

        void report(Category category, InspectedValue value, String form, Consumer<Finding> findings) {
            if (!found()) {
                return;
            }
            int from = Math.max(0, Math.min(start, form.length()));
            int to = Math.min(form.length(), Math.max(end, from + 1) + 16);
            to = Math.min(to, from + Finding.MAX_EVIDENCE);
            findings.accept(new Finding(category, confidence, value.location(), form.substring(from, to), paranoia));
        }
    }

    // ---- helpers of the SSRF, NoSQL, XXE, JNDI, protocol and prototype pollution detectors

    /** Index of {@code needle} (lower-case ASCII) in {@code s} from {@code from}, ignoring ASCII case, or -1. */
    static int indexOfIgnoreCase(String s, String needle, int from) {
        int n = s.length();
        int m = needle.length();
        if (m == 0) {
            return Math.max(0, Math.min(from, n));
        }
        char first = needle.charAt(0);
        for (int i = Math.max(0, from); i <= n - m; i++) {
            if (lower(s.charAt(i)) != first) {
                continue;
            }
            int j = 1;
            while (j < m && lower(s.charAt(i + j)) == needle.charAt(j)) {
                j++;
            }
            if (j == m) {
                return i;
            }
        }
        return -1;
    }

    static boolean containsIgnoreCase(String s, String needle) {
        return indexOfIgnoreCase(s, needle, 0) >= 0;
    }

    /** True when {@code s} has {@code needle} (lower-case ASCII) at {@code at}, ignoring ASCII case. */
    static boolean regionMatches(String s, int at, String needle) {
        return at >= 0 && s.regionMatches(true, at, needle, 0, needle.length());
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentChar(char c) {
        return isAsciiLetter(c) || isAsciiDigit(c) || c == '_' || c == '$';
    }

    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = lower(c);
        if (l >= 'a' && l <= 'f') {
            return l - 'a' + 10;
        }
        return -1;
    }

    /** The excerpt of {@code s} starting at {@code start}, for evidence ({@link Finding} truncates it). */
    static String excerpt(String s, int start) {
        int b = Math.max(0, Math.min(start, s.length()));
        return s.substring(b, Math.min(s.length(), b + Finding.MAX_EVIDENCE + 1));
    }

    /**
     * Decodes, in at most {@code passes} linear passes, the escapes attackers use to hide the few characters the
     * detectors key on: {@code %XX}, {@code \}{@code uXXXX}, {@code \xXX}, {@code &#NN;}, {@code &#xHH;} and a few
     * named entities ({@code &lbrace;}, {@code &dollar;}, ...). The inspector's normaliser does this in full; the
     * detectors do it again cheaply so that they work on raw values too.
     */
    static String decodeLite(String s, int passes) {
        String cur = s;
        for (int p = 0; p < passes; p++) {
            if (cur.indexOf('%') < 0 && cur.indexOf('\\') < 0 && cur.indexOf('&') < 0) {
                return cur;
            }
            String next = decodeOnce(cur);
            if (next.equals(cur)) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    private static final String[][] ENTITIES = {
        {"lbrace;", "{"},
        {"rbrace;", "}"},
        {"lcub;", "{"},
        {"rcub;", "}"},
        {"dollar;", "$"},
        {"colon;", ":"},
        {"sol;", "/"},
        {"quot;", "\""},
        {"amp;", "&"},
        {"lt;", "<"},
        {"gt;", ">"},
        {"apos;", "'"},
        {"period;", "."},
        {"lpar;", "("},
        {"rpar;", ")"},
        {"lsqb;", "["},
        {"rsqb;", "]"},
        {"lbrack;", "["},
        {"rbrack;", "]"},
        {"num;", "#"},
        {"percnt;", "%"},
        {"bsol;", "\\"},
        {"newline;", "\n"},
        {"tab;", "\t"},
        {"excl;", "!"},
        {"semi;", ";"},
        {"equals;", "="},
        {"lowbar;", "_"}
    };

    private static String decodeOnce(String s) {
        int n = s.length();
        StringBuilder b = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < n && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
                b.append((char) (hexValue(s.charAt(i + 1)) * 16 + hexValue(s.charAt(i + 2))));
                i += 3;
            } else if (c == '%' && i + 5 < n && lower(s.charAt(i + 1)) == 'u' && hex4(s, i + 2) >= 0) {
                b.append((char) hex4(s, i + 2));
                i += 6;
            } else if (c == '\\' && i + 5 < n && lower(s.charAt(i + 1)) == 'u' && hex4(s, i + 2) >= 0) {
                b.append((char) hex4(s, i + 2));
                i += 6;
            } else if (c == '\\'
                    && i + 3 < n
                    && lower(s.charAt(i + 1)) == 'x'
                    && hexValue(s.charAt(i + 2)) >= 0
                    && hexValue(s.charAt(i + 3)) >= 0) {
                b.append((char) (hexValue(s.charAt(i + 2)) * 16 + hexValue(s.charAt(i + 3))));
                i += 4;
            } else if (c == '&' && i + 1 < n) {
                int consumed = entity(s, i + 1, b);
                if (consumed > 0) {
                    i += 1 + consumed;
                } else {
                    b.append(c);
                    i++;
                }
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    private static int hex4(String s, int at) {
        if (at + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int h = hexValue(s.charAt(at + k));
            if (h < 0) {
                return -1;
            }
            v = v * 16 + h;
        }
        return v;
    }

    /** Decodes one entity starting after '&' at {@code at}; appends it and returns the characters consumed. */
    private static int entity(String s, int at, StringBuilder out) {
        int n = s.length();
        if (s.charAt(at) == '#') {
            int i = at + 1;
            boolean hex = i < n && lower(s.charAt(i)) == 'x';
            if (hex) {
                i++;
            }
            int zeros = i;
            // &#0000000000000123; is '{': leading zeros do not count against the digit limit.
            while (i < n && s.charAt(i) == '0') {
                i++;
            }
            int v = 0;
            int digits = i > zeros ? 1 : 0;
            while (i < n && digits < 8) {
                int d = hex ? hexValue(s.charAt(i)) : (isAsciiDigit(s.charAt(i)) ? s.charAt(i) - '0' : -1);
                if (d < 0) {
                    break;
                }
                v = v * (hex ? 16 : 10) + d;
                digits++;
                i++;
            }
            if (digits == 0 || v > 0xFFFF) {
                return 0;
            }
            if (i < n && s.charAt(i) == ';') {
                i++;
            }
            out.append((char) v);
            return i - at;
        }
        for (String[] e : ENTITIES) {
            if (s.regionMatches(true, at, e[0], 0, e[0].length())) {
                out.append(e[1]);
                return e[0].length();
            }
        }
        return 0;
    }

    /** Reports the finding with the lowest paranoia (then the highest confidence) among candidates. */
    static final class Best {
        private Finding best;

        void offer(Finding f) {
            if (f == null) {
                return;
            }
            if (best == null
                    || f.paranoia() < best.paranoia()
                    || (f.paranoia() == best.paranoia() && f.confidence() > best.confidence())) {
                best = f;
            }
        }

        boolean has() {
            return best != null;
        }

        Finding get() {
            return best;
        }

        void reportTo(Consumer<Finding> findings) {
            if (best != null) {
                findings.accept(best);
            }
        }
    }
}
