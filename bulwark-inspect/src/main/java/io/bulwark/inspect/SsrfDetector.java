package io.bulwark.inspect;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Server-side request forgery: URLs (and bare {@code host:port} values) that point at loopback, private,
 * link-local, CGNAT or cloud metadata addresses, in any spelling a URL parser accepts (decimal, octal, hex,
 * shortened, IPv6-mapped, Unicode digits), and URLs with schemes that turn a fetch into something else
 * ({@code gopher://}, {@code dict://}, {@code file://}, {@code jar:}, {@code netdoc:}).
 *
 * <p>Names are never resolved: the detector only knows the names that always mean "this machine" or "the
 * platform" ({@code localhost}, {@code metadata.google.internal}, {@code host.docker.internal}, wildcard DNS
 * services that embed an IP). All parsing is by hand and bounded: a host longer than {@value #MAX_HOST}
 * characters is not a host, and at most {@value #MAX_URLS} URLs are looked at per form.
 */
public final class SsrfDetector implements Detector {
    static final int MAX_HOST = 256;
    static final int MAX_URLS = 32;
    private static final int MAX_AUTHORITY = 2048;

    private static final Set<String> LOOPBACK_NAMES = Set.of(
            "localhost",
            "localhost.localdomain",
            "localhost4",
            "localhost4.localdomain4",
            "localhost6",
            "localhost6.localdomain6",
            "ip6-localhost",
            "ip6-loopback",
            "ipv6-localhost",
            "ipv6-loopback",
            "localtest.me",
            "lvh.me",
            "vcap.me",
            "lacolhost.com");
    private static final Set<String> PRIVATE_NAMES = Set.of(
            "host.docker.internal",
            "gateway.docker.internal",
            "kubernetes.docker.internal",
            "host.containers.internal",
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc");
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata.google.internal",
            "metadata.goog",
            "metadata",
            "instance-data",
            "instance-data.ec2.internal",
            "metadata.packet.net",
            "metadata.platformequinix.com",
            "metadata.tencentyun.com");
    private static final String[] EMBEDDING_SUFFIXES = {".nip.io", ".sslip.io", ".xip.io", ".localtest.me"};

    /** What a host is. Ordered from the most to the least dangerous. */
    enum Kind {
        METADATA,
        LOOPBACK,
        PRIVATE,
        OBFUSCATED_PUBLIC,
        PUBLIC_IPV6,
        NONE
    }

    /** A classified host: its kind and whether its spelling was not the canonical one. */
    record Verdict(Kind kind, boolean obfuscated) {
        static final Verdict NONE = new Verdict(Kind.NONE, false);

        boolean internal() {
            return kind == Kind.METADATA || kind == Kind.LOOPBACK || kind == Kind.PRIVATE;
        }
    }

    public SsrfDetector() {}

    @Override
    public Category category() {
        return Category.SSRF;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            Scan.Best best = new Scan.Best();
            scan(form, value.location(), best);
            best.reportTo(findings);
        }
    }

    private static void scan(String s, Location location, Scan.Best best) {
        int n = s.length();
        int urls = 0;
        boolean sawUrl = false;
        for (int colon = s.indexOf(':'); colon >= 0 && urls < MAX_URLS; colon = s.indexOf(':', colon + 1)) {
            int start = schemeStart(s, colon);
            if (start < 0) {
                continue;
            }
            urls++;
            String scheme = s.substring(start, colon).toLowerCase(Locale.ROOT);
            int after = colon + 1;
            boolean slashes = after + 1 < n && isSlash(s.charAt(after)) && isSlash(s.charAt(after + 1));
            dangerousScheme(s, start, scheme, after, location, best);
            boolean web = scheme.equals("http") || scheme.equals("https");
            if (!slashes && !web) {
                continue;
            }
            int a = after;
            int skipped = 0;
            while (a < n && isSlash(s.charAt(a)) && skipped < 8) {
                a++;
                skipped++;
            }
            if (!slashes && skipped > 1) {
                continue;
            }
            sawUrl = true;
            authority(s, start, a, location, best);
        }
        if (!sawUrl) {
            bare(s, location, best);
        }
    }

    private static boolean isSlash(char c) {
        return c == '/' || c == '\\';
    }

    /** The start of the URL scheme ending at {@code colon}, or -1. */
    static int schemeStart(String s, int colon) {
        int i = colon - 1;
        int min = Math.max(0, colon - 32);
        while (i >= min && isSchemeChar(s.charAt(i))) {
            i--;
        }
        int start = i + 1;
        if (start >= colon || (i >= 0 && isSchemeChar(s.charAt(i)))) {
            return -1;
        }
        // A scheme begins with a letter; skip leading digits or punctuation ("1http:" is not a scheme).
        while (start < colon && !Scan.isAsciiLetter(s.charAt(start))) {
            start++;
        }
        return start < colon ? start : -1;
    }

    private static boolean isSchemeChar(char c) {
        return Scan.isAsciiLetter(c) || Scan.isAsciiDigit(c) || c == '+' || c == '-' || c == '.' || c == '_';
    }

    private static void dangerousScheme(
            String s, int start, String scheme, int after, Location location, Scan.Best best) {
        int n = s.length();
        boolean slash = after < n && s.charAt(after) == '/';
        boolean two = slash && after + 1 < n && s.charAt(after + 1) == '/';
        double confidence = 0;
        int paranoia = 4;
        switch (scheme) {
            case "gopher", "dict" -> {
                if (two) {
                    confidence = 0.9;
                    paranoia = 1;
                }
            }
            case "file", "netdoc", "local_file" -> {
                if (slash) {
                    confidence = 0.85;
                    paranoia = 1;
                }
            }
            case "jar" -> {
                int e = after;
                while (e < n && e - after < 16 && Scan.isAsciiLetter(s.charAt(e))) {
                    e++;
                }
                if (e > after && e < n && s.charAt(e) == ':') {
                    confidence = 0.8;
                    paranoia = 1;
                }
            }
            case "ldap", "ldaps", "ldapi", "tftp", "phar" -> {
                if (two) {
                    confidence = 0.7;
                    paranoia = 2;
                }
            }
            default -> {}
        }
        if (confidence > 0) {
            best.offer(new Finding(Category.SSRF, confidence, location, Scan.excerpt(s, start), paranoia));
        }
    }

    /** Looks at the host after the slashes and at every host after an '@' up to the path. */
    private static void authority(String s, int urlStart, int a, Location location, Scan.Best best) {
        int n = s.length();
        int limit = Math.min(n, a + MAX_AUTHORITY);
        boolean userinfo = false;
        check(s, urlStart, a, true, location, best);
        for (int i = a; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?') {
                break;
            }
            if (c == '@') {
                userinfo = true;
                check(s, urlStart, i + 1, true, location, best);
            }
        }
        if (userinfo && !best.has()) {
            String host = hostAt(s, a);
            if (host != null && host.indexOf('.') > 0) {
                best.offer(new Finding(Category.SSRF, 0.4, location, Scan.excerpt(s, urlStart), 3));
            }
        }
    }

    private static void check(String s, int urlStart, int hostStart, boolean inUrl, Location location, Scan.Best best) {
        String raw = hostAt(s, hostStart);
        if (raw == null || raw.isEmpty()) {
            return;
        }
        boolean backslash = raw.indexOf('\\') >= 0;
        Verdict v = classify(raw.replace("\\", ""));
        String evidence = Scan.excerpt(s, urlStart);
        if (v.internal()) {
            double c = switch (v.kind()) {
                case METADATA -> 0.98;
                case LOOPBACK -> 0.95;
                default -> 0.9;
            };
            if (v.obfuscated() || backslash) {
                c = Math.max(c, 0.97);
            }
            best.offer(new Finding(Category.SSRF, c, location, evidence, 1));
        } else if (v.kind() == Kind.OBFUSCATED_PUBLIC) {
            best.offer(new Finding(Category.SSRF, 0.6, location, evidence, 2));
        } else if (v.kind() == Kind.PUBLIC_IPV6 || backslash) {
            best.offer(new Finding(Category.SSRF, 0.35, location, evidence, 3));
        }
    }

    /** A bare value: {@code 10.0.0.1:8080}, {@code localhost/admin}, {@code [::1]}. */
    private static void bare(String s, Location location, Scan.Best best) {
        int n = s.length();
        int a = 0;
        while (a < n && a < 64 && Character.isWhitespace(s.charAt(a))) {
            a++;
        }
        if (a + 1 < n && s.charAt(a) == '/' && s.charAt(a + 1) == '/') {
            a += 2;
        }
        String raw = hostAt(s, a);
        if (raw == null || raw.isEmpty() || raw.indexOf('\\') >= 0) {
            return;
        }
        int end = a + raw.length();
        boolean trailer = end < n
                && (s.charAt(end) == '/'
                        || (s.charAt(end) == ':' && end + 1 < n && Scan.isAsciiDigit(s.charAt(end + 1))));
        boolean rest = !trailer && end < n && !onlyWhitespace(s, end);
        if (rest) {
            return;
        }
        String h = fold(raw);
        boolean bracketed = h.startsWith("[");
        boolean name = !bracketed && !Scan.isAsciiDigit(h.isEmpty() ? 'x' : h.charAt(0));
        if (!bracketed && !name && dots(h) != 3) {
            // "10.5" is a price, "2130706433" a number: only dotted quads count without a scheme.
            return;
        }
        Verdict v = classify(raw);
        if (!v.internal()) {
            return;
        }
        String evidence = Scan.excerpt(s, a);
        if (v.kind() == Kind.METADATA) {
            best.offer(new Finding(Category.SSRF, trailer ? 0.9 : 0.7, location, evidence, trailer ? 1 : 2));
        } else if (name) {
            best.offer(new Finding(Category.SSRF, trailer ? 0.85 : 0.4, location, evidence, trailer ? 1 : 3));
        } else {
            best.offer(new Finding(Category.SSRF, trailer ? 0.7 : 0.45, location, evidence, trailer ? 2 : 3));
        }
    }

    private static boolean onlyWhitespace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int dots(String h) {
        int d = 0;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) == '.') {
                d++;
            }
        }
        return d;
    }

    /** The host (with brackets for IPv6, without port) starting at {@code at}, or null when too long. */
    static String hostAt(String s, int at) {
        int n = s.length();
        if (at >= n) {
            return "";
        }
        if (s.charAt(at) == '[') {
            int close = s.indexOf(']', at);
            if (close < 0 || close - at > 64) {
                return null;
            }
            return s.substring(at, close + 1);
        }
        int i = at;
        while (i < n && !isHostEnd(s.charAt(i))) {
            if (i - at > MAX_HOST) {
                return null;
            }
            i++;
        }
        return s.substring(at, i);
    }

    private static boolean isHostEnd(char c) {
        return switch (c) {
            case '/',
                    '?',
                    '#',
                    '@',
                    ':',
                    ' ',
                    '\t',
                    '\r',
                    '\n',
                    '"',
                    '\'',
                    '<',
                    '>',
                    ',',
                    ';',
                    '|',
                    '{',
                    '}',
                    '`',
                    '^',
                    '&',
                    '=',
                    '(',
                    ')',
                    '[',
                    ']' -> true;
            default -> false;
        };
    }

    /** NFKC-folds Unicode digits and letters (①, ⓛ, full-width), maps ideographic dots, lower-cases. */
    static String fold(String host) {
        String h = host;
        boolean ascii = true;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) > 0x7f) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            h = Normalizer.normalize(h, Normalizer.Form.NFKC)
                    .replace('\u3002', '.')
                    .replace('\uff61', '.')
                    .replace('\uff0e', '.');
        }
        h = h.toLowerCase(Locale.ROOT);
        while (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** Classifies a host as written in a URL (brackets for IPv6), without resolving anything. */
    static Verdict classify(String rawHost) {
        if (rawHost.length() > MAX_HOST) {
            return Verdict.NONE;
        }
        String h = fold(rawHost);
        if (h.isEmpty()) {
            return Verdict.NONE;
        }
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            String inner = h.substring(1, close < 0 ? h.length() : close);
            int zone = inner.indexOf('%');
            if (zone >= 0) {
                inner = inner.substring(0, zone);
            }
            int[] g = parseV6(inner);
            return g == null ? Verdict.NONE : classifyV6(g);
        }
        long[] v4 = parseV4(h);
        if (v4 != null) {
            Verdict v = classifyV4(v4[0]);
            boolean obfuscated = v4[1] != 0;
            if (v.internal()) {
                return new Verdict(v.kind(), obfuscated);
            }
            return obfuscated ? new Verdict(Kind.OBFUSCATED_PUBLIC, true) : Verdict.NONE;
        }
        return classifyName(h);
    }

    private static Verdict classifyName(String h) {
        if (METADATA_NAMES.contains(h)) {
            return new Verdict(Kind.METADATA, false);
        }
        if (LOOPBACK_NAMES.contains(h) || h.endsWith(".localhost")) {
            return new Verdict(Kind.LOOPBACK, false);
        }
        if (PRIVATE_NAMES.contains(h)
                || h.endsWith(".svc.cluster.local")
                || h.endsWith(".cluster.local")
                || h.endsWith(".docker.internal")) {
            return new Verdict(Kind.PRIVATE, false);
        }
        for (String suffix : EMBEDDING_SUFFIXES) {
            if (h.endsWith(suffix)) {
                String head = h.substring(0, h.length() - suffix.length());
                if (suffix.equals(".localtest.me")) {
                    return new Verdict(Kind.LOOPBACK, false);
                }
                return embedded(head);
            }
        }
        return Verdict.NONE;
    }

    /** {@code 10.0.0.1.nip.io}, {@code app.10-0-0-1.nip.io}: the IP is the last four labels or dashed groups. */
    private static Verdict embedded(String head) {
        String dotted = head.replace('-', '.');
        int dotsSeen = 0;
        int i = dotted.length() - 1;
        for (; i >= 0; i--) {
            if (dotted.charAt(i) == '.' && ++dotsSeen == 4) {
                break;
            }
        }
        String tail = dotted.substring(i + 1);
        long[] v4 = parseV4(tail);
        if (v4 == null) {
            return Verdict.NONE;
        }
        Verdict v = classifyV4(v4[0]);
        return v.internal() ? new Verdict(v.kind(), true) : Verdict.NONE;
    }

    /**
     * Parses an IPv4 address the way {@code inet_aton} does: one to four parts, each decimal, octal (leading 0)
     * or hex (0x); the last part fills the remaining bytes. Returns {address, obfuscated (1) or canonical (0)}, or
     * null. A value too large for its bytes is truncated to them, as careless parsers do.
     */
    static long[] parseV4(String h) {
        int n = h.length();
        if (n == 0 || n > MAX_HOST) {
            return null;
        }
        long[] parts = new long[4];
        boolean[] overflow = new boolean[4];
        int count = 0;
        boolean obfuscated = false;
        int i = 0;
        while (true) {
            if (count == 4 || i >= n) {
                return null;
            }
            int base = 10;
            int begin = i;
            if (h.charAt(i) == '0' && i + 1 < n && (h.charAt(i + 1) == 'x' || h.charAt(i + 1) == 'X')) {
                base = 16;
                i += 2;
                obfuscated = true;
            } else if (h.charAt(i) == '0' && i + 1 < n && h.charAt(i + 1) != '.') {
                base = 8;
                obfuscated = true;
            }
            long v = 0;
            int digits = 0;
            while (i < n && h.charAt(i) != '.') {
                char c = h.charAt(i);
                int d = base == 16 ? Scan.hexValue(c) : (Scan.isAsciiDigit(c) ? c - '0' : -1);
                if (d < 0 || d >= base) {
                    return null;
                }
                v = v * base + d;
                if (v > 0xFFFFFFFFL) {
                    overflow[count] = true;
                    v &= 0xFFFFFFFFL;
                }
                digits++;
                i++;
            }
            if (digits == 0 && base != 16) {
                return null;
            }
            if (i - begin > 1 && base == 10 && h.charAt(begin) == '0') {
                obfuscated = true;
            }
            parts[count++] = v;
            if (i >= n) {
                break;
            }
            i++; // the dot
        }
        if (count != 4) {
            obfuscated = true;
        }
        long addr = 0;
        for (int k = 0; k < count - 1; k++) {
            if (parts[k] > 255 || overflow[k]) {
                return null;
            }
            addr |= parts[k] << (8 * (3 - k));
        }
        long last = parts[count - 1];
        long max = (1L << (8 * (5 - count))) - 1;
        if (last > max || overflow[count - 1]) {
            obfuscated = true;
            last &= max;
        }
        addr |= last;
        return new long[] {addr & 0xFFFFFFFFL, obfuscated ? 1 : 0};
    }

    static Verdict classifyV4(long a) {
        int b0 = (int) (a >>> 24);
        int b1 = (int) ((a >>> 16) & 0xff);
        if (a == 0xA9FEA9FEL || a == 0x646464C8L || a == 0xC00000C0L || a == 0xA9FEAA02L) {
            return new Verdict(Kind.METADATA, false);
        }
        if (b0 == 127 || b0 == 0) {
            return new Verdict(Kind.LOOPBACK, false);
        }
        if (b0 == 10
                || (b0 == 172 && b1 >= 16 && b1 <= 31)
                || (b0 == 192 && b1 == 168)
                || (b0 == 169 && b1 == 254)
                || (b0 == 100 && b1 >= 64 && b1 <= 127)
                || (b0 == 192 && b1 == 0 && ((a >>> 8) & 0xff) == 0)) {
            return new Verdict(Kind.PRIVATE, false);
        }
        return Verdict.NONE;
    }

    /** Parses an IPv6 address (no brackets, no zone) into eight groups, or null. */
    static int[] parseV6(String s) {
        int n = s.length();
        if (n < 2 || n > 64) {
            return null;
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        int[] left = dc < 0 ? groups(s) : (dc == 0 ? new int[0] : groups(s.substring(0, dc)));
        int[] right = dc < 0 ? new int[0] : (dc + 2 == n ? new int[0] : groups(s.substring(dc + 2)));
        if (left == null || right == null) {
            return null;
        }
        int total = left.length + right.length;
        if ((dc < 0 && total != 8) || (dc >= 0 && total > 7)) {
            return null;
        }
        int[] g = new int[8];
        System.arraycopy(left, 0, g, 0, left.length);
        System.arraycopy(right, 0, g, 8 - right.length, right.length);
        return g;
    }

    /** Colon-separated hex groups; a dotted IPv4 tail counts as two groups. */
    private static int[] groups(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length > 8) {
            return null;
        }
        int extra = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
        int[] out = new int[parts.length + extra];
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k];
            if (k == parts.length - 1 && extra == 1) {
                long[] v4 = parseV4(p);
                if (v4 == null || v4[1] != 0) {
                    return null;
                }
                out[k] = (int) (v4[0] >>> 16);
                out[k + 1] = (int) (v4[0] & 0xffff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int i = 0; i < p.length(); i++) {
                int d = Scan.hexValue(p.charAt(i));
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[k] = v;
        }
        return out;
    }

    static Verdict classifyV6(int[] g) {
        boolean zero5 = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0;
        long v4 = ((long) g[6] << 16) | g[7];
        if (zero5 && g[5] == 0 && g[6] == 0 && (g[7] == 0 || g[7] == 1)) {
            return new Verdict(Kind.LOOPBACK, false);
        }
        if (zero5 && (g[5] == 0xffff || g[5] == 0)) {
            Verdict v = classifyV4(v4);
            return v.internal() ? new Verdict(v.kind(), true) : Verdict.NONE;
        }
        if (g[0] == 0x64 && g[1] == 0xff9b && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0) {
            Verdict v = classifyV4(v4);
            return v.internal() ? new Verdict(v.kind(), true) : Verdict.NONE;
        }
        if (g[0] == 0x2002) {
            Verdict v = classifyV4(((long) g[1] << 16) | g[2]);
            return v.internal() ? new Verdict(v.kind(), true) : new Verdict(Kind.PUBLIC_IPV6, false);
        }
        if (g[0] == 0xfd00
                && g[1] == 0xec2
                && g[2] == 0
                && g[3] == 0
                && g[4] == 0
                && g[5] == 0
                && g[6] == 0
                && g[7] == 0x254) {
            return new Verdict(Kind.METADATA, false);
        }
        if ((g[0] & 0xfe00) == 0xfc00 || (g[0] & 0xffc0) == 0xfe80 || (g[0] & 0xffc0) == 0xfec0) {
            return new Verdict(Kind.PRIVATE, false);
        }
        return new Verdict(Kind.PUBLIC_IPV6, false);
    }
}
