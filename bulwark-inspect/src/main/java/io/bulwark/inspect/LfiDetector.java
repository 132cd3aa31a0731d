package io.bulwark.inspect;

import static io.bulwark.inspect.Scan.isLetter;
import static io.bulwark.inspect.Scan.startsWith;

import java.util.function.Consumer;

/**
 * Path traversal and local file inclusion: dot-dot segments (with either slash, overlong and hex spellings the
 * normaliser may leave behind, {@code ....//} filter bypasses), sensitive files (by absolute path, after a
 * traversal, or with the separators stripped), stream wrappers ({@code php://filter}, {@code phar://}, ...) and
 * NUL-byte truncation. One forward pass with bounded look-ups, linear in the value's length.
 *
 * <p>Relative paths ({@code docs/readme.txt}) and ordinary Windows paths ({@code C:\Users\me\file.txt}) are not
 * attacks; a single {@code ../} is level 2, two or more or one that reaches a sensitive file is level 1.
 */
public final class LfiDetector implements Detector {
    /** Sensitive files as they appear after the separators are stripped (so "/etc/passwd" and "etcpasswd"). */
    private static final String[] SENSITIVE = {
        "etcpasswd",
        "etcshadow",
        "etcgroup",
        "etchosts",
        "etcissue",
        "etcsudoers",
        "etcmotd",
        "etcfstab",
        "procselfenviron",
        "procselfcmdline",
        "procselffd",
        "procselfmaps",
        "procselfstatus",
        "procversion",
        "win.ini",
        "boot.ini",
        "system.ini",
        "windowssystem32",
        "windowsrepairsam",
        "web-infweb.xml",
        "meta-infmanifest.mf",
        ".htaccess",
        ".htpasswd",
        ".gitconfig",
        ".gitdhead",
        ".svnentries",
        ".ssh",
        "id_rsa",
        "authorized_keys",
        "global.asa",
        "inetpubwwwroot",
        "wp-config.php",
        "httpd.conf",
        "php.ini",
        "my.cnf",
        ".bash_history",
        "varlogapache",
        "varlognginx",
        "varlogauth.log",
        "etcnginx",
        "etcapache",
        "localconfiguration.php",
        "applicationhost.config",
        "web.config"
    };

    private static final String[] WRAPPERS = {
        "php://",
        "zip://",
        "phar://",
        "expect://",
        "data://",
        "glob://",
        "compress.zlib://",
        "compress.bzip2://",
        "zlib://",
        "ogg://",
        "rar://",
        "ssh2."
    };

    /** Separators the normaliser may have left encoded: overlong UTF-8, single-encoded, hex, look-alikes. */
    private static final String[] SEPARATORS = {
        "%c0%af", "%c1%9c", "%c0%2f", "%e0%80%af", "%2f", "%5c", "0x2f", "0x5c", "\u2215", "\uff0f"
    };

    public LfiDetector() {}

    @Override
    public Category category() {
        return Category.LFI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            scan(form).report(Category.LFI, value, form, findings);
        }
    }

    static Scan.Hit scan(String form) {
        char[] s = Scan.lower(form);
        Scan.Hit hit = new Scan.Hit();
        int n = s.length;
        int traversals = 0;
        int firstTraversal = -1;
        int dotSegments = 0;
        int firstDotSegment = -1;
        boolean absolute = n > 0 && (s[0] == '/' || s[0] == '\\')
                || n > 2 && isLetter(s[0]) && s[1] == ':' && (s[2] == '/' || s[2] == '\\');
        boolean fileScheme = false;
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (c == '.') {
                int j = i;
                while (j < n && s[j] == '.') {
                    j++;
                }
                int dots = j - i;
                boolean segmentStart = i == 0 || isSep(s[i - 1]) || s[i - 1] == '=';
                int sep = sepLength(s, j);
                if (dots >= 2 && sep > 0 && segmentStart) {
                    traversals++;
                    if (firstTraversal < 0) {
                        firstTraversal = i;
                    }
                    if (dots >= 3 && sep >= 1 && (j + sep < n && isSep(s[j + sep]) || dots >= 4)) {
                        // ....// and ..../ survive a filter that deletes "../" once
                        hit.offer(1, 0.85, i, j + sep);
                    }
                    if (sep > 1) {
                        // an encoding left in the value: ..%c0%af, ..0x2f, ..%5c
                        hit.offer(1, 0.85, i, j + sep);
                    }
                } else if (dots >= 2 && segmentStart && i > 0 && isSep(s[i - 1])) {
                    // "/.." then something else: "/..{file}", "/...", "/..\0"
                    hit.offer(2, 0.5, i - 1, j);
                } else if (dots == 1 && i > 0 && isSep(s[i - 1])) {
                    if (j >= n || isSep(s[j]) || s[j] == '.') {
                        dotSegments++;
                        if (firstDotSegment < 0) {
                            firstDotSegment = i - 1;
                        }
                    }
                } else if (dots >= 4 && j < n && isLetter(s[j])) {
                    hit.offer(2, 0.4, i, j + 1);
                }
                i = j - 1;
            } else if (c == '0' && startsWith(s, i, "0x2e0x2e")) {
                hit.offer(1, 0.85, i, i + 8);
            } else if (c == '%' && (startsWith(s, i, "%2e%2e") || startsWith(s, i, "%252e"))) {
                hit.offer(1, 0.85, i, i + 6);
            } else if (c == '\0') {
                boolean fileBefore = false;
                for (int k = Math.max(0, i - 16); k < i; k++) {
                    fileBefore |= s[k] == '.' || isSep(s[k]);
                }
                hit.offer(fileBefore ? 1 : 2, fileBefore ? 0.8 : 0.5, Math.max(0, i - 16), i + 1);
            } else if (c == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
                wrapper(s, i, hit);
            } else if (c == 'f' && startsWith(s, i, "file:") && (i == 0 || !isLetter(s[i - 1]))) {
                fileScheme = true;
                hit.offer(2, 0.6, i, i + 8);
            }
        }
        if (traversals >= 2) {
            hit.offer(1, 0.9, firstTraversal, firstTraversal + 3 * traversals);
        } else if (traversals == 1) {
            hit.offer(2, 0.6, firstTraversal, firstTraversal + 3);
        }
        if (dotSegments >= 2) {
            hit.offer(2, 0.5, firstDotSegment, firstDotSegment + 6);
        } else if (dotSegments == 1) {
            hit.offer(3, 0.3, firstDotSegment, firstDotSegment + 3);
        }
        if (absolute) {
            overlongSegment(s, hit);
        }
        sensitive(s, traversals > 0 || absolute || fileScheme, hit);
        return hit;
    }

    /**
     * A path segment longer than any file system allows a name to be (NAME_MAX, 255): no file has that name, so it
     * is there to truncate the path (the classic way around an appended ".php") or to overflow a buffer.
     */
    private static void overlongSegment(char[] s, Scan.Hit hit) {
        int segment = 0;
        for (int i = 0; i < s.length; i++) {
            char c = s[i];
            if (isSep(c)) {
                segment = 0;
            } else if (Scan.isSpace(c)) {
                return;
            } else if (++segment > 255) {
                hit.offer(2, 0.4, i - segment + 1, i + 1);
                return;
            }
        }
    }

    private static boolean isSep(char c) {
        return c == '/' || c == '\\';
    }

    /** The length of the path separator at s[i], in any spelling the normaliser may have left; 0 if none. */
    private static int sepLength(char[] s, int i) {
        if (i >= s.length) {
            return 0;
        }
        if (isSep(s[i])) {
            return 1;
        }
        for (String k : SEPARATORS) {
            if (startsWith(s, i, k)) {
                return k.length();
            }
        }
        return 0;
    }

    private static void wrapper(char[] s, int colon, Scan.Hit hit) {
        int start = colon;
        while (start > 0
                && colon - start < 16
                && (isLetter(s[start - 1]) || s[start - 1] == '.' || s[start - 1] == '2')) {
            start--;
        }
        for (String w : WRAPPERS) {
            if (startsWith(s, start, w) && (start == 0 || !isLetter(s[start - 1]))) {
                hit.offer(1, 0.9, start, colon + 3);
                return;
            }
        }
        if (startsWith(s, start, "file://")) {
            hit.offer(2, 0.6, start, colon + 3);
        }
    }

    private static void sensitive(char[] s, boolean strongContext, Scan.Hit hit) {
        // Strip separators (and the URL-decoded spellings of them) into a parallel buffer that remembers offsets.
        int n = s.length;
        char[] t = new char[n];
        int[] at = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!isSep(s[i])) {
                t[m] = s[i];
                at[m] = i;
                m++;
            }
        }
        for (int i = 0; i < m; i++) {
            char c = t[i];
            if (c != 'e' && c != 'p' && c != 'w' && c != 'b' && c != 's' && c != 'm' && c != '.' && c != 'i' && c != 'a'
                    && c != 'g' && c != 'h' && c != 'v' && c != 'l' && c != 'd' && c != 'o') {
                continue;
            }
            for (String k : SENSITIVE) {
                if (c == k.charAt(0) && startsWith(t, i, k)) {
                    int from = at[i];
                    int to = at[i + k.length() - 1] + 1;
                    boolean slashed = from > 0 && isSep(s[from - 1]);
                    boolean dotted = k.charAt(0) == '.' || k.indexOf('.') > 0;
                    if (!dotted && !slashed && !strongContext && from > 0 && isLetter(s[from - 1])) {
                        continue; // "phoneetcpasswd"... only where the name starts a word
                    }
                    if (k.equals(".ssh") || k.equals("web.config") || k.equals("php.ini")) {
                        if (slashed || strongContext) {
                            hit.offer(strongContext ? 1 : 2, 0.7, from, to);
                        }
                        continue;
                    }
                    hit.offer(strongContext || slashed ? 1 : 2, strongContext ? 0.95 : 0.7, from, to);
                    if (hit.certain()) {
                        return;
                    }
                }
            }
        }
        // /.git/config, /.env: hidden configuration a web root must never serve
        for (String k : new String[] {"/.git/", "/.env", "/.aws/", "/.docker/", "/.npmrc", "/.svn/"}) {
            int i = Scan.indexOf(s, k, 0);
            if (i >= 0) {
                int e = i + k.length();
                boolean whole = k.endsWith("/") || e >= s.length || !Scan.isWordChar(s[e]);
                if (whole) {
                    hit.offer(i == 0 || strongContext ? 1 : 2, 0.75, i, e);
                }
            }
        }
        if (startsWith(s, 0, ".env") && (s.length == 4 || !Scan.isWordChar(s[4]))) {
            hit.offer(2, 0.5, 0, 4);
        }
    }
}
