package io.bulwark.inspect;

import java.util.function.Consumer;

/** Small linear-time string helpers shared by the detectors (no regular expressions on untrusted input). */
final class Scan {
    private Scan() {}

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
