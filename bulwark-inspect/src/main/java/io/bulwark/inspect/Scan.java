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
}
