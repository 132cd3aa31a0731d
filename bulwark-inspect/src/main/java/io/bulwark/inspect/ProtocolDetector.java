package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * HTTP protocol attacks carried in values: CR or LF followed by a header line (response splitting, header
 * injection), a second request or response inside a value (request smuggling, {@code \r\n\r\nGET /}), {@code
 * Transfer-Encoding: chunked} inside a value, and CR/LF in header values, parameter names and the path.
 * Line breaks in free text (a JSON comment, a form's textarea) are not attacks by themselves.
 *
 * <p>{@link #inspectHeaders(List)} checks the request's own framing headers, which no single value shows:
 * Content-Length together with Transfer-Encoding, conflicting Content-Length values, a Transfer-Encoding other
 * than {@code chunked}, and malformed header names (spaces, obs-fold).
 */
public final class ProtocolDetector implements Detector {
    private static final Set<String> DANGEROUS_HEADERS = Set.of(
            "set-cookie",
            "location",
            "content-length",
            "content-type",
            "transfer-encoding",
            "refresh",
            "host",
            "connection",
            "remote-addr",
            "x-forwarded-for",
            "x-forwarded-host",
            "content-security-policy",
            "access-control-allow-origin",
            "cookie",
            "authorization",
            "upgrade",
            "expect",
            "link");
    /** Headers whose injection changes the framing of a message: no free text legitimately starts a line so. */
    private static final Set<String> FRAMING_HEADERS = Set.of("set-cookie", "content-length", "transfer-encoding");

    private static final String[] METHODS = {
        "get", "post", "put", "delete", "head", "options", "patch", "trace", "connect", "propfind"
    };

    public ProtocolDetector() {}

    @Override
    public Category category() {
        return Category.PROTOCOL;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            Scan.Best best = new Scan.Best();
            scan(form, value.location(), value.isKey(), best);
            if (!best.has() && (form.contains("%0") || form.contains("&#") || form.contains("\\u000"))) {
                // %0d%0a, &#13;&#10;, a JSON-style u000d escape: the normaliser decodes them; raw values may not be.
                String decoded = Scan.decodeLite(form, 2);
                if (!decoded.equals(form)) {
                    scan(decoded, value.location(), value.isKey(), best);
                }
            }
            best.reportTo(findings);
        }
    }

    private static void scan(String s, Location location, boolean isKey, Scan.Best best) {
        int n = s.length();
        int firstBreak = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\r' && c != '\n') {
                continue;
            }
            if (firstBreak < 0) {
                firstBreak = i;
            }
            int j = i;
            while (j < n && j - i < 8 && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) {
                j++;
            }
            lineAfterBreak(s, i, j, location, best);
            if (best.has() && best.get().paranoia() == 1) {
                return;
            }
            i = j - 1;
        }
        requestLine(s, location, best);
        int meta = Scan.indexOfIgnoreCase(s, "http-equiv", 0);
        if (meta >= 0 && Scan.containsIgnoreCase(s, "<meta")) {
            // <meta http-equiv="Refresh"|"Set-Cookie">: a response header set from the page body.
            best.offer(new Finding(Category.PROTOCOL, 0.6, location, Scan.excerpt(s, Math.max(0, meta - 6)), 2));
        }
        int te = Scan.indexOfIgnoreCase(s, "transfer-encoding", 0);
        if (te >= 0) {
            int k = te + "transfer-encoding".length();
            while (k < n && k - te < 24 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
                k++;
            }
            if (k < n && s.charAt(k) == ':') {
                best.offer(new Finding(Category.PROTOCOL, 0.85, location, Scan.excerpt(s, te), 1));
            }
        }
        if (firstBreak >= 0) {
            Location.Source source = location.source();
            String evidence = Scan.excerpt(s, Math.max(0, firstBreak - 16));
            if (source == Location.Source.HEADER || source == Location.Source.PATH || isKey) {
                best.offer(new Finding(Category.PROTOCOL, 0.8, location, evidence, 1));
            } else if (source == Location.Source.COOKIE || source == Location.Source.QUERY) {
                best.offer(new Finding(Category.PROTOCOL, 0.5, location, evidence, 2));
            }
        }
    }

    /** What follows a line break at {@code brk} (the break spans to {@code next}). */
    private static void lineAfterBreak(String s, int brk, int next, Location location, Scan.Best best) {
        int n = s.length();
        String evidence = Scan.excerpt(s, Math.max(0, brk - 16));
        // A blank line: the end of a header block, whatever follows is a body or a second message.
        boolean blank = next - brk >= 2 && (s.startsWith("\r\n\r\n", brk) || s.startsWith("\n\n", brk));
        int k = next;
        while (k < n && k - next < 8 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
            k++;
        }
        if (Scan.regionMatches(s, k, "http/")) {
            best.offer(new Finding(Category.PROTOCOL, 0.95, location, evidence, 1));
            return;
        }
        if (startsRequestLine(s, k)) {
            best.offer(new Finding(Category.PROTOCOL, 0.95, location, evidence, 1));
            return;
        }
        // Name: value after the break, a header line.
        int e = k;
        while (e < n && e - k < 64 && isTokenChar(s.charAt(e))) {
            e++;
        }
        if (e > k) {
            int c = e;
            while (c < n && c - e < 8 && (s.charAt(c) == ' ' || s.charAt(c) == '\t' || s.charAt(c) == '\r')) {
                c++;
            }
            if (c < n && s.charAt(c) == ':') {
                String name = s.substring(k, e).toLowerCase(Locale.ROOT);
                boolean known = DANGEROUS_HEADERS.contains(name) || name.startsWith("x-");
                if (headerBound(location)) {
                    best.offer(new Finding(Category.PROTOCOL, known ? 0.95 : 0.75, location, evidence, known ? 1 : 2));
                } else if (FRAMING_HEADERS.contains(name)) {
                    best.offer(new Finding(Category.PROTOCOL, 0.9, location, evidence, 1));
                } else if (known) {
                    // Free text in a body: "\nLocation: Paris" may be a letter, not a response header.
                    best.offer(new Finding(Category.PROTOCOL, 0.6, location, evidence, 2));
                }
                return;
            }
        }
        if (blank && k < n && s.charAt(k) == '<') {
            // "\r\n\r\n<html>": a body injected after the headers.
            best.offer(new Finding(Category.PROTOCOL, 0.8, location, evidence, 1));
        }
    }

    /** Values that end up in headers or in the request line: query, cookies, headers, the path. */
    private static boolean headerBound(Location location) {
        return switch (location.source()) {
            case HEADER, QUERY, COOKIE, PATH -> true;
            default -> false;
        };
    }

    /** {@code GET /x HTTP/1.1} or {@code GET http://h/ HTTP/1.1} at {@code at}. */
    private static boolean startsRequestLine(String s, int at) {
        int n = s.length();
        for (String m : METHODS) {
            if (!Scan.regionMatches(s, at, m)) {
                continue;
            }
            int k = at + m.length();
            if (k >= n || (s.charAt(k) != ' ' && s.charAt(k) != '\t' && s.charAt(k) != '+')) {
                return false;
            }
            while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t' || s.charAt(k) == '+') && k - at < 32) {
                k++;
            }
            if (k < n
                    && (s.charAt(k) == '/'
                            || Scan.regionMatches(s, k, "http://")
                            || Scan.regionMatches(s, k, "https://")
                            || s.charAt(k) == '*')) {
                int limit = Math.min(n, k + 2048);
                for (int t = k; t < limit; t++) {
                    char c = s.charAt(t);
                    if (c == '\r' || c == '\n') {
                        break;
                    }
                    if ((c == ' ' || c == '+') && Scan.regionMatches(s, t + 1, "http/")) {
                        return true;
                    }
                }
                // A request line without a version right after a break still starts a second request.
                return s.charAt(k) == '/';
            }
            return false;
        }
        return false;
    }

    /** {@code GET http://x HTTP/1.1} anywhere in the value, without a line break before it. */
    private static void requestLine(String s, Location location, Scan.Best best) {
        for (int h = Scan.indexOfIgnoreCase(s, " http/", 0); h >= 0; h = Scan.indexOfIgnoreCase(s, " http/", h + 6)) {
            if (h + 6 >= s.length() || !Scan.isAsciiDigit(s.charAt(h + 6))) {
                continue;
            }
            // Walk back over the target to the method.
            int t = h - 1;
            while (t >= 0 && h - t < 2048 && s.charAt(t) != ' ' && s.charAt(t) != '\n' && s.charAt(t) != '\r') {
                t--;
            }
            if (t <= 0 || s.charAt(t) != ' ') {
                continue;
            }
            int m = t - 1;
            while (m >= 0 && t - m <= 10 && Scan.isAsciiLetter(s.charAt(m))) {
                m--;
            }
            String method = s.substring(m + 1, t).toLowerCase(Locale.ROOT);
            for (String known : METHODS) {
                if (known.equals(method)) {
                    best.offer(new Finding(Category.PROTOCOL, 0.7, location, Scan.excerpt(s, m + 1), 2));
                    return;
                }
            }
        }
    }

    private static boolean isTokenChar(char c) {
        return Scan.isAsciiLetter(c) || Scan.isAsciiDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * Request-level framing checks over the request's headers, in the order received: Content-Length together
     * with Transfer-Encoding, Content-Length values that disagree or are not a number, a Transfer-Encoding other
     * than exactly {@code chunked} (or more than one), header names with whitespace or other non-token characters
     * (obs-fold continuation lines included), and CR/LF inside a header value.
     */
    public static List<Finding> inspectHeaders(List<Map.Entry<String, String>> headers) {
        requireNonNull(headers, "headers");
        List<Finding> out = new ArrayList<>();
        String contentLength = null;
        boolean conflictingLength = false;
        int transferEncodings = 0;
        String transferEncoding = null;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey() == null ? "" : h.getKey();
            String value = h.getValue() == null ? "" : h.getValue();
            Location location = Location.of(Location.Source.HEADER, Finding.excerpt(name));
            // Evidence names the header, never its value: it may be a credential (Authorization, Cookie).
            if (name.isEmpty() || !allTokenChars(name)) {
                out.add(new Finding(Category.PROTOCOL, 0.9, location, "malformed header name: '" + name + "'", 1));
                continue;
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                out.add(new Finding(Category.PROTOCOL, 0.9, location, name + ": (value with CR/LF)", 1));
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length")) {
                String v = value.trim();
                if (v.isEmpty() || !allDigits(v)) {
                    out.add(new Finding(Category.PROTOCOL, 0.85, location, "Content-Length: " + value, 1));
                } else if (contentLength != null && !contentLength.equals(v)) {
                    conflictingLength = true;
                }
                if (contentLength == null) {
                    contentLength = v;
                }
            } else if (lower.equals("transfer-encoding")) {
                transferEncodings++;
                transferEncoding = value;
            }
        }
        Location cl = Location.of(Location.Source.HEADER, "Content-Length");
        Location te = Location.of(Location.Source.HEADER, "Transfer-Encoding");
        if (conflictingLength) {
            out.add(new Finding(Category.PROTOCOL, 0.95, cl, "Content-Length: " + contentLength + ", ...", 1));
        }
        if (transferEncodings > 1) {
            out.add(new Finding(Category.PROTOCOL, 0.9, te, "Transfer-Encoding (x" + transferEncodings + ")", 1));
        } else if (transferEncoding != null && !transferEncoding.trim().equalsIgnoreCase("chunked")) {
            out.add(new Finding(Category.PROTOCOL, 0.85, te, "Transfer-Encoding: " + transferEncoding, 1));
        } else if (transferEncoding != null && !transferEncoding.equals("chunked")) {
            // "Chunked", " chunked": accepted by some servers, refused by others; the mismatch is the attack.
            out.add(new Finding(Category.PROTOCOL, 0.7, te, "Transfer-Encoding: " + transferEncoding, 2));
        }
        if (contentLength != null && transferEncoding != null) {
            out.add(new Finding(
                    Category.PROTOCOL, 0.9, te, "Content-Length with Transfer-Encoding: " + transferEncoding, 1));
        }
        return List.copyOf(out);
    }

    private static boolean allTokenChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Scan.isAsciiDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
