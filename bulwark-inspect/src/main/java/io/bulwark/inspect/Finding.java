package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

/**
 * One suspected attack in one value.
 *
 * @param category what kind of attack
 * @param confidence how sure the detector is, 0 (a weak hint) to 1 (certain)
 * @param location where the value was
 * @param evidence a short excerpt of the (normalised) value that made the detector fire, at most {@link
 *     #MAX_EVIDENCE} characters, control characters replaced; never a whole body, never a secret header value
 * @param paranoia the lowest paranoia level at which this finding counts (1 = flagged at every level, 4 = only
 *     at the most aggressive level)
 */
public record Finding(Category category, double confidence, Location location, String evidence, int paranoia) {
    public static final int MAX_EVIDENCE = 64;

    public Finding {
        requireNonNull(category, "category");
        requireNonNull(location, "location");
        requireNonNull(evidence, "evidence");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence: " + confidence + " (expected: 0..1)");
        }
        if (paranoia < 1 || paranoia > 4) {
            throw new IllegalArgumentException("paranoia: " + paranoia + " (expected: 1..4)");
        }
        evidence = excerpt(evidence);
    }

    /** Truncates to {@link #MAX_EVIDENCE} characters and replaces control characters, so evidence is safe to log. */
    public static String excerpt(String s) {
        int n = Math.min(s.length(), MAX_EVIDENCE);
        StringBuilder b = new StringBuilder(n + 1);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '\u00b7' : c);
        }
        if (s.length() > MAX_EVIDENCE) {
            b.append('\u2026');
        }
        return b.toString();
    }
}
