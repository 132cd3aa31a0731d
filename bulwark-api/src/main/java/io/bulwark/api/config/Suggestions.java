package io.bulwark.api.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** "Did you mean" suggestions by edit distance, for config errors that name a user-chosen key. */
public final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code input}, or null when none is close enough to be a plausible typo. */
    public static String closest(String input, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String in = input.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(in, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        int allowed = Math.max(2, Math.min(input.length(), best.length()) / 3);
        return bestDistance <= allowed ? best : null;
    }

    /**
     * Every candidate close enough to {@code input} to be a plausible typo, closest first, at most {@code max}; for
     * errors that list several suggestions (an unknown operation id among many similar ones).
     */
    public static List<String> near(String input, Collection<String> candidates, int max) {
        String in = input.toLowerCase(Locale.ROOT);
        List<Map.Entry<String, Integer>> close = new ArrayList<>();
        for (String c : candidates) {
            int d = distance(in, c.toLowerCase(Locale.ROOT));
            if (d <= Math.max(2, Math.min(input.length(), c.length()) / 3)) {
                close.add(Map.entry(c, d));
            }
        }
        close.sort(Map.Entry.comparingByValue());
        return close.stream().limit(max).map(Map.Entry::getKey).toList();
    }

    /** Damerau-Levenshtein (optimal string alignment) distance; inputs are config keys, so short. */
    static int distance(String a, String b) {
        if (a.length() > 256 || b.length() > 256) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
