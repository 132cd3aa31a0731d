package io.bulwark.gateway.routing;

/**
 * Normalizes a request path before routing, so that what the gateway routes and checks is what the upstream
 * serves. Without this, {@code /public/../admin} would be routed as {@code /public} and served as {@code /admin}.
 *
 * <p>Percent-encoded unreserved characters are decoded ({@code %2e} is a dot), dot segments are removed (RFC 3986
 * section 5.2.4), repeated slashes are merged. Paths that cannot be made safe are refused: an encoded slash,
 * backslash or NUL, a control character, a {@code ..} above the root, or a malformed escape.
 */
public final class PathNormalizer {
    private PathNormalizer() {}

    /** Returns the normalized path, or null when the path must be refused. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        if (isAlreadyNormal(raw)) {
            return raw;
        }
        StringBuilder decoded = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = hi * 16 + lo;
                if (b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
                    return null;
                }
                if (isUnreserved(b)) {
                    decoded.append((char) b);
                } else {
                    // Keep other escapes as they are, with upper-case hex so equal paths compare equal.
                    decoded.append('%')
                            .append(Character.toUpperCase(raw.charAt(i + 1)))
                            .append(Character.toUpperCase(raw.charAt(i + 2)));
                }
                i += 2;
            } else if (c < 0x20 || c == 0x7f || c == '\\') {
                return null;
            } else {
                decoded.append(c);
            }
        }
        return removeDotSegments(decoded.toString());
    }

    /** The fast path: most paths have no escape, no dot segment and no double slash. */
    private static boolean isAlreadyNormal(String p) {
        char prev = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
            if (c == '/' && prev == '/') {
                return false;
            }
            if (c == '.' && prev == '/') {
                return false;
            }
            prev = c;
        }
        return true;
    }

    private static boolean isUnreserved(int b) {
        return b >= 'a' && b <= 'z'
                || b >= 'A' && b <= 'Z'
                || b >= '0' && b <= '9'
                || b == '-'
                || b == '.'
                || b == '_'
                || b == '~';
    }

    private static String removeDotSegments(String path) {
        String[] parts = path.split("/", -1);
        String[] out = new String[parts.length];
        int n = 0;
        for (int i = 1; i < parts.length; i++) {
            String s = parts[i];
            boolean last = i == parts.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out[n++] = "";
                }
            } else if (s.equals("..")) {
                if (n == 0) {
                    return null;
                }
                n--;
                if (last) {
                    out[n++] = "";
                }
            } else if (s.isEmpty() && !last) {
                // merge repeated slashes
            } else {
                out[n++] = s;
            }
        }
        StringBuilder b = new StringBuilder(path.length());
        for (int i = 0; i < n; i++) {
            b.append('/').append(out[i]);
        }
        return b.length() == 0 ? "/" : b.toString();
    }
}
