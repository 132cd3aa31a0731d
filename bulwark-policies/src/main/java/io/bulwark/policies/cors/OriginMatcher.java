package io.bulwark.policies.cors;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Matches an {@code Origin} header against exact origins and {@code scheme://*.domain} patterns. */
final class OriginMatcher {
    private final boolean any;
    private final Set<String> exact = new HashSet<>();
    /** Pairs of scheme prefix ({@code https://}) and dotted suffix ({@code .example.com}). */
    private final List<String[]> wildcards;

    OriginMatcher(List<String> patterns) {
        boolean anyOrigin = false;
        List<String[]> wild = new java.util.ArrayList<>();
        for (String p : patterns) {
            String pattern = p.toLowerCase(Locale.ROOT);
            if (pattern.equals("*")) {
                anyOrigin = true;
            } else if (pattern.contains("://*.")) {
                int i = pattern.indexOf("://*.");
                wild.add(new String[] {pattern.substring(0, i + 3), pattern.substring(i + 4)});
            } else {
                exact.add(pattern);
            }
        }
        this.any = anyOrigin;
        this.wildcards = List.copyOf(wild);
    }

    boolean isAny() {
        return any;
    }

    boolean matches(String origin) {
        if (origin.length() > 512 || origin.equals("null")) {
            // "null" is what sandboxed iframes and file:// send: never trust it, even with "*".
            return false;
        }
        if (any) {
            return true;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (exact.contains(o)) {
            return true;
        }
        for (String[] w : wildcards) {
            if (o.startsWith(w[0]) && o.endsWith(w[1]) && o.length() > w[0].length() + w[1].length()) {
                String label = o.substring(w[0].length(), o.length() - w[1].length());
                if (isHostLabels(label)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Only DNS characters in the wildcard part: {@code https://evil.com/.example.com} must not match. */
    private static boolean isHostLabels(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return !s.startsWith(".") && !s.endsWith(".");
    }
}
