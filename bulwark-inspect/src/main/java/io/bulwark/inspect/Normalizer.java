package io.bulwark.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one raw value into the distinct forms the detectors inspect, raw first: URL-decoded (repeatedly, at most
 * {@value #MAX_URL_ROUNDS} rounds, with {@code %uXXXX}), HTML-entity-decoded, then Unicode NFKC with control and
 * invisible characters removed. Attackers encode payloads so that a filter sees something harmless and the
 * application, after its own decoding, sees the attack; inspecting every decoded form closes that gap.
 *
 * <p>Bounded: at most {@value #MAX_FORMS} forms, each at most {@code maxValueLength} chars; a longer value is
 * inspected on its prefix and {@link Normalized#truncated()} says so. Every step is a single linear pass and the
 * number of passes is fixed, so the work is linear in the (truncated) length whatever the input.
 *
 * <p>Case is not folded here: detectors fold themselves where they need to, which keeps a form count of four.
 */
public final class Normalizer {
    public static final int MAX_FORMS = 4;
    static final int MAX_URL_ROUNDS = 3;
    static final int MAX_ENTITY_ROUNDS = 2;

    private final int maxValueLength;

    /** A normaliser that truncates values to {@code maxValueLength} chars. */
    public Normalizer(int maxValueLength) {
        if (maxValueLength < 16) {
            throw new IllegalArgumentException("maxValueLength: " + maxValueLength + " (expected: >= 16)");
        }
        this.maxValueLength = maxValueLength;
    }

    /** With the default limit of 64 KiB. */
    public static Normalizer defaults() {
        return new Normalizer(InspectorConfig.DEFAULT_MAX_VALUE_LENGTH);
    }

    public int maxValueLength() {
        return maxValueLength;
    }

    /**
     * The forms of one value.
     *
     * @param forms the distinct forms, raw (possibly truncated) first, at most {@link #MAX_FORMS}
     * @param truncated true when the raw value or a form was cut to {@code maxValueLength}
     */
    public record Normalized(List<String> forms, boolean truncated) {
        public Normalized {
            forms = List.copyOf(forms);
        }
    }

    /**
     * Normalises {@code raw}.
     *
     * @param formEncoded true when the value comes from {@code application/x-www-form-urlencoded} data (a query
     *     string or a form body) and {@code +} therefore means a space
     */
    public Normalized normalize(String raw, boolean formEncoded) {
        boolean truncated = false;
        String r = raw;
        if (r.length() > maxValueLength) {
            r = cut(r, maxValueLength);
            truncated = true;
        }
        List<String> forms = new ArrayList<>(MAX_FORMS);
        forms.add(r);
        String url = r;
        for (int round = 0; round < MAX_URL_ROUNDS; round++) {
            String next = urlDecode(url, formEncoded);
            if (next.equals(url)) {
                break;
            }
            url = next;
        }
        addDistinct(forms, url);
        String html = url;
        for (int round = 0; round < MAX_ENTITY_ROUNDS; round++) {
            String next = decodeEntities(html);
            if (next.equals(html)) {
                break;
            }
            html = next;
        }
        addDistinct(forms, html);
        String folded = fold(html);
        if (folded.length() > maxValueLength) {
            // NFKC can expand (one ligature becomes several letters): keep the bound.
            folded = cut(folded, maxValueLength);
            truncated = true;
        }
        addDistinct(forms, folded);
        return new Normalized(forms, truncated);
    }

    /** Cuts without splitting a surrogate pair. */
    private static String cut(String s, int max) {
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static void addDistinct(List<String> forms, String s) {
        if (forms.size() < MAX_FORMS && !forms.contains(s)) {
            forms.add(s);
        }
    }

    // ---- URL decoding ---------------------------------------------------------------------------------------

    /**
     * One round of percent-decoding. {@code %XX} sequences are gathered into bytes and decoded as UTF-8; bytes that
     * are not valid UTF-8 become the Latin-1 char of the same value (kept visible rather than dropped), except
     * overlong two-byte forms of ASCII ({@code %c0%ae}), which decode to the ASCII char because some servers accept
     * them. Invalid escapes stay as they are.
     */
    static String urlDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        byte[] bytes = null;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                    if (bytes == null) {
                        bytes = new byte[Math.min(n / 3 + 1, n)];
                    }
                    int len = 0;
                    while (i + 2 < n && s.charAt(i) == '%' && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                        bytes[len++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                        i += 3;
                    }
                    decodeUtf8(bytes, len, out);
                    continue;
                }
                if (i + 5 < n
                        && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                        && hex(s.charAt(i + 2)) >= 0
                        && hex(s.charAt(i + 3)) >= 0
                        && hex(s.charAt(i + 4)) >= 0
                        && hex(s.charAt(i + 5)) >= 0) {
                    out.append((char) (hex(s.charAt(i + 2)) << 12
                            | hex(s.charAt(i + 3)) << 8
                            | hex(s.charAt(i + 4)) << 4
                            | hex(s.charAt(i + 5))));
                    i += 6;
                    continue;
                }
                out.append(c);
            } else if (c == '+' && plusIsSpace) {
                out.append(' ');
            } else {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Lenient UTF-8: valid sequences decode, overlong ASCII decodes to ASCII, any other byte maps to Latin-1. */
    static void decodeUtf8(byte[] b, int len, StringBuilder out) {
        int i = 0;
        while (i < len) {
            int b0 = b[i] & 0xff;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int cp;
            if (b0 >= 0xc0 && b0 <= 0xdf) {
                need = 1;
                cp = b0 & 0x1f;
            } else if (b0 >= 0xe0 && b0 <= 0xef) {
                need = 2;
                cp = b0 & 0x0f;
            } else if (b0 >= 0xf0 && b0 <= 0xf4) {
                need = 3;
                cp = b0 & 0x07;
            } else {
                out.append((char) b0);
                i++;
                continue;
            }
            if (i + need >= len) {
                out.append((char) b0);
                i++;
                continue;
            }
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                int bk = b[i + k] & 0xff;
                if ((bk & 0xc0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | (bk & 0x3f);
            }
            if (!ok || (need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
                out.append((char) b0);
                i++;
                continue;
            }
            out.appendCodePoint(cp);
            i += need + 1;
        }
    }

    // ---- HTML entities --------------------------------------------------------------------------------------

    private static final int MAX_ENTITY_NAME = 8;

    // The named entities that matter for injection (markup, quotes, separators) plus a few common ones; browsers
    // know two thousand, but an attacker gains nothing from the rest.
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"),
            Map.entry("lt", "<"),
            Map.entry("gt", ">"),
            Map.entry("quot", "\""),
            Map.entry("apos", "'"),
            Map.entry("nbsp", "\u00a0"),
            Map.entry("tab", "\t"),
            Map.entry("newline", "\n"),
            Map.entry("colon", ":"),
            Map.entry("semi", ";"),
            Map.entry("comma", ","),
            Map.entry("period", "."),
            Map.entry("sol", "/"),
            Map.entry("bsol", "\\"),
            Map.entry("lpar", "("),
            Map.entry("rpar", ")"),
            Map.entry("lsqb", "["),
            Map.entry("rsqb", "]"),
            Map.entry("lbrack", "["),
            Map.entry("rbrack", "]"),
            Map.entry("lcub", "{"),
            Map.entry("rcub", "}"),
            Map.entry("lbrace", "{"),
            Map.entry("rbrace", "}"),
            Map.entry("excl", "!"),
            Map.entry("num", "#"),
            Map.entry("dollar", "$"),
            Map.entry("percnt", "%"),
            Map.entry("equals", "="),
            Map.entry("plus", "+"),
            Map.entry("quest", "?"),
            Map.entry("grave", "`"),
            Map.entry("verbar", "|"),
            Map.entry("vert", "|"),
            Map.entry("ast", "*"),
            Map.entry("commat", "@"),
            Map.entry("hyphen", "-"),
            Map.entry("dash", "-"),
            Map.entry("lowbar", "_"),
            Map.entry("hat", "^"));

    /** One round of HTML character reference decoding: named (above), {@code &#NN}, {@code &#xHH}, ';' optional. */
    static String decodeEntities(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        out.append(s, 0, amp);
        int i = amp;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int consumed = entity(s, i, out);
            if (consumed == 0) {
                out.append(c);
                i++;
            } else {
                i += consumed;
            }
        }
        return out.toString();
    }

    /** Decodes the reference at {@code s[at] == '&'} into {@code out}; returns the chars consumed, 0 if none. */
    private static int entity(String s, int at, StringBuilder out) {
        int n = s.length();
        int i = at + 1;
        if (i >= n) {
            return 0;
        }
        if (s.charAt(i) == '#') {
            i++;
            boolean isHex = i < n && (s.charAt(i) == 'x' || s.charAt(i) == 'X');
            if (isHex) {
                i++;
            }
            int start = i;
            long cp = 0;
            // Leading zeros are legal and unbounded in number; digits past seven significant ones overflow any
            // code point, so the scan stays linear and the value bounded.
            while (i < n) {
                int d = isHex ? hex(s.charAt(i)) : (s.charAt(i) >= '0' && s.charAt(i) <= '9' ? s.charAt(i) - '0' : -1);
                if (d < 0) {
                    break;
                }
                if (cp <= 0x10ffff) {
                    cp = cp * (isHex ? 16 : 10) + d;
                }
                i++;
            }
            if (i == start) {
                return 0;
            }
            if (i < n && s.charAt(i) == ';') {
                i++;
            }
            if (cp == 0 || cp > 0x10ffff) {
                out.append('\ufffd');
            } else {
                out.appendCodePoint((int) cp);
            }
            return i - at;
        }
        int start = i;
        while (i < n && i - start < MAX_ENTITY_NAME && isAsciiLetter(s.charAt(i))) {
            i++;
        }
        // Longest known name first ("&amp;" before a hypothetical "&am"), without ';' too as browsers do for
        // the legacy names.
        for (int end = i; end > start; end--) {
            String value = ENTITIES.get(lowerAscii(s, start, end));
            if (value != null) {
                out.append(value);
                int stop = end;
                if (stop < n && s.charAt(stop) == ';') {
                    stop++;
                }
                return stop - at;
            }
        }
        return 0;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String lowerAscii(String s, int start, int end) {
        char[] cs = new char[end - start];
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            cs[k - start] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(cs);
    }

    // ---- Unicode ----------------------------------------------------------------------------------------------

    /**
     * NFKC (full-width {@code ＜ｓｃｒｉｐｔ＞} becomes ASCII), then control characters (NUL included; tab, CR
     * and LF are kept because they separate tokens), DEL, C1 controls and invisible format characters removed, as
     * they are what attackers slip between the letters of a keyword.
     */
    static String fold(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x7f) {
                ascii = false;
                break;
            }
        }
        String t = ascii ? s : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC);
        StringBuilder out = null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (isRemoved(c)) {
                if (out == null) {
                    out = new StringBuilder(t.length());
                    out.append(t, 0, i);
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? t : out.toString();
    }

    private static boolean isRemoved(char c) {
        if (c < 0x20) {
            return c != '\t' && c != '\n' && c != '\r';
        }
        return (c >= 0x7f && c <= 0x9f)
                || c == 0xad
                || (c >= 0x200b && c <= 0x200f)
                || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2060 && c <= 0x2064)
                || c == 0xfeff;
    }
}
