package io.bulwark.policies.openapi;

/** Safe renderings of client-controlled text (names, pointers) for error details and logs. */
final class Texts {
    static final int MAX = 64;

    private Texts() {}

    /**
     * At most {@link #MAX} characters of {@code s}: letters, digits, space and {@code -_.~/$@:,} kept, anything else shown
     * as {@code ?}, so a detail can never carry markup, control characters or a long secret.
     */
    static String safe(String s) {
        if (s == null) {
            return "";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || "-_.~/$@:, ".indexOf(c) >= 0;
            b.append(ok ? c : '?');
        }
        if (s.length() > MAX) {
            b.append("...");
        }
        return b.toString();
    }
}
