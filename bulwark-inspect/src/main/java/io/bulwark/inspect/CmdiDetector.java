package io.bulwark.inspect;

import static io.bulwark.inspect.Scan.isDigit;
import static io.bulwark.inspect.Scan.isLetter;
import static io.bulwark.inspect.Scan.isSpace;
import static io.bulwark.inspect.Scan.startsWith;

import java.util.Set;
import java.util.function.Consumer;

/**
 * OS command injection: finds command positions (the start of the value, after {@code ;}, {@code |}, {@code &},
 * {@code &&}, {@code ||}, a newline, a backtick, {@code $(}, a brace expansion), reads the shell word there the
 * way a shell would (quotes, backslashes, {@code $@} and {@code ${IFS}} removed) and checks it against a compiled
 * set of Unix and Windows commands.
 *
 * <p>Commands that are also ordinary words ({@code cat}, {@code id}, {@code sleep}, {@code ping}) count at level
 * 1 only after a shell separator and with a shell-like argument (an option, a path, a number, nothing); free
 * text such as "Tom &amp; Jerry" or "salt; pepper" stays quiet. Each command position reads a bounded word, so
 * the work is linear in the value's length.
 */
public final class CmdiDetector implements Detector {
    /** Commands that are not English words: after a separator they are near-certain. */
    private static final Set<String> DISTINCTIVE = Set.of(
            "whoami",
            "uname",
            "wget",
            "curl",
            "bash",
            "zsh",
            "ksh",
            "csh",
            "tcsh",
            "dash",
            "powershell",
            "pwsh",
            "cmd",
            "netcat",
            "ncat",
            "ifconfig",
            "ipconfig",
            "netstat",
            "nslookup",
            "telnet",
            "python",
            "python2",
            "python3",
            "perl",
            "php",
            "ruby",
            "busybox",
            "systeminfo",
            "tasklist",
            "taskkill",
            "certutil",
            "bitsadmin",
            "wmic",
            "nmap",
            "chmod",
            "chown",
            "useradd",
            "crontab",
            "xterm",
            "base64",
            "xxd",
            "sudo",
            "lsof",
            "socat",
            "nohup",
            "mkfifo",
            "printenv",
            "getent",
            "traceroute",
            "tftp",
            "rundll32",
            "regsvr32",
            "mshta",
            "cscript",
            "wscript",
            "msiexec",
            "passwd",
            "ls",
            "pwd",
            "netsh");
    /** Commands that are also words or abbreviations: they need a separator and a shell-like argument. */
    private static final Set<String> COMMON = Set.of(
            "cat",
            "id",
            "dir",
            "echo",
            "sleep",
            "ping",
            "kill",
            "more",
            "less",
            "head",
            "tail",
            "find",
            "sort",
            "type",
            "time",
            "date",
            "set",
            "env",
            "which",
            "who",
            "touch",
            "cp",
            "mv",
            "rm",
            "mkdir",
            "nc",
            "sh",
            "true",
            "false",
            "exit",
            "read",
            "eval",
            "exec",
            "export",
            "source",
            "tee",
            "grep",
            "awk",
            "sed",
            "cut",
            "wc",
            "file",
            "stat",
            "hostname",
            "net",
            "start",
            "copy",
            "del",
            "ver",
            "cd",
            "su",
            "ps",
            "ftp",
            "ssh",
            "dig",
            "host",
            "node",
            "java",
            "reg",
            "w",
            "last",
            "uptime",
            "history",
            "whois",
            "call",
            "tar",
            "zip",
            "unzip",
            "chdir",
            "rmdir",
            "xargs",
            "openssl",
            "mail",
            "print",
            "nl",
            "od",
            "strings");

    private static final String[] CODE_CALLS = {
        "system(",
        "exec(",
        "shell_exec(",
        "passthru(",
        "popen(",
        "proc_open(",
        "pcntl_exec(",
        "os.system(",
        "subprocess.",
        "runtime.getruntime("
    };
    private static final int MAX_WORD = 64;

    public CmdiDetector() {}

    @Override
    public Category category() {
        return Category.CMDI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            scan(form).report(Category.CMDI, value, form, findings);
        }
    }

    static Scan.Hit scan(String form) {
        char[] s = Scan.lower(form);
        Scan.Hit hit = new Scan.Hit();
        int n = s.length;
        command(s, 0, 0, -1, hit);
        for (int i = 0; i < n && !hit.certain(); i++) {
            char c = s[i];
            switch (c) {
                case ';', '\n', '\r' -> command(s, i, i + 1, 2, hit);
                case '|', '&' -> {
                    int j = i + 1;
                    if (j < n && s[j] == c) {
                        j++;
                    }
                    // a lone '&' between words is prose ("Tom & Jerry"), '&&', '||' and '|' are shell
                    command(s, i, j, j - i == 2 || c == '|' ? 2 : 1, hit);
                    i = j - 1;
                }
                case '`' -> command(s, i, i + 1, 3, hit);
                case '$' -> {
                    if (i + 1 < n && s[i + 1] == '(' && !(i + 2 < n && s[i + 2] == '(')) {
                        command(s, i, i + 2, 3, hit);
                        hit.offer(2, 0.5, i, i + 2);
                    } else if (startsWith(s, i, "${ifs}") || startsWith(s, i, "$ifs")) {
                        hit.offer(1, 0.9, i, i + 6);
                    }
                }
                case '{' -> {
                    // brace expansion: {cat,/etc/passwd}
                    int e = wordEnd(s, i + 1);
                    if (e < n && s[e] == ',' && isCommand(word(s, i + 1, e))) {
                        hit.offer(1, 0.9, i, e + 1);
                    }
                }
                case '<' -> {
                    if (startsWith(s, i, "<!--#exec") || startsWith(s, i, "<!--#include")) {
                        hit.offer(1, 0.9, i, i + 9);
                    }
                }
                case '/' -> {
                    if (startsWith(s, i, "/dev/tcp/") || startsWith(s, i, "/dev/udp/")) {
                        hit.offer(1, 0.9, i, i + 9);
                    }
                }
                default -> {
                    if (isLetter(c) && (i == 0 || !Scan.isWordChar(s[i - 1]) && s[i - 1] != '.')) {
                        codeCall(s, i, hit);
                    }
                }
            }
        }
        return hit;
    }

    private static void codeCall(char[] s, int i, Scan.Hit hit) {
        for (String k : CODE_CALLS) {
            if (startsWith(s, i, k)) {
                int j = i + k.length();
                boolean quoted = j < s.length && (s[j] == '\'' || s[j] == '"' || s[j] == '$' || s[j] == '`');
                hit.offer(quoted ? 1 : 3, quoted ? 0.85 : 0.3, i, j + 1);
                return;
            }
        }
    }

    /**
     * Reads the command at a command position and scores it.
     *
     * @param sepStart where the separator starts (for the evidence)
     * @param from the first character after the separator
     * @param strength -1: start of the value, 1: a lone '&amp;', 2: a shell separator, 3: a substitution
     */
    private static void command(char[] s, int sepStart, int from, int strength, Scan.Hit hit) {
        int n = s.length;
        int i = from;
        while (i < n && (isSpace(s[i]) || (strength < 0 && (s[i] == '"' || s[i] == '\'' || s[i] == '(')))) {
            i++;
        }
        // after a separator, more separators or a subshell may follow: "; |id", "a);id", "| (id)"
        // bounded: a run of separators is read once per separator, and must not make that quadratic
        for (int more = 0;
                more < 4 && strength > 0 && i < n && (s[i] == '(' || s[i] == '{' || s[i] == ';' || s[i] == '|');
                more++) {
            i++;
            while (i < n && isSpace(s[i])) {
                i++;
            }
        }
        int end = wordEnd(s, i);
        if (end == i) {
            return;
        }
        StringBuilder raw = new StringBuilder();
        boolean obfuscated = readWord(s, i, end, raw);
        String word = raw.toString();
        boolean pathQualified = false;
        int slash = Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\'));
        if (slash >= 0) {
            String dir = word.substring(0, slash + 1);
            pathQualified = dir.endsWith("bin/") || dir.contains("system32") || dir.endsWith("bin\\");
            word = word.substring(slash + 1);
        }
        boolean exe = word.endsWith(".exe");
        if (exe) {
            word = word.substring(0, word.length() - 4);
        }
        boolean distinctive = DISTINCTIVE.contains(word);
        boolean common = COMMON.contains(word);
        pathQualified |= exe && strength > 0 && (distinctive || common);
        if (!distinctive && !common) {
            if (pathQualified && !word.isEmpty() && isLetter(word.charAt(0))) {
                hit.offer(strength > 0 ? 1 : 2, 0.7, sepStart, end);
            }
            return;
        }
        int arg = argumentShape(s, end, word);
        int evidenceEnd = Math.min(n, end + 24);
        if (obfuscated || pathQualified) {
            hit.offer(1, 0.9, sepStart, evidenceEnd);
        } else if (strength >= 2) {
            if (distinctive || arg > 0) {
                hit.offer(1, distinctive ? 0.9 : 0.85, sepStart, evidenceEnd);
            } else {
                hit.offer(3, 0.3, sepStart, evidenceEnd);
            }
        } else if (strength == 1) {
            if (distinctive && arg > 0 || arg == 2) {
                hit.offer(1, 0.8, sepStart, evidenceEnd);
            } else if (distinctive || arg > 0) {
                hit.offer(2, 0.5, sepStart, evidenceEnd);
            }
        } else {
            // the whole value starts with a command: "cat /etc/passwd", "ping -c 3 10.0.0.1", "whoami"
            if (arg == 2 || (distinctive && arg > 0 && end < n)) {
                hit.offer(2, 0.6, sepStart, evidenceEnd);
            } else if (distinctive) {
                hit.offer(end == n || arg > 0 ? 2 : 3, 0.4, sepStart, evidenceEnd);
            } else if (arg > 0) {
                hit.offer(3, 0.3, sepStart, evidenceEnd);
            }
        }
    }

    private static boolean isCommand(String w) {
        return DISTINCTIVE.contains(w) || COMMON.contains(w);
    }

    private static int wordEnd(char[] s, int i) {
        int n = s.length;
        int j = i;
        while (j < n && j - i < MAX_WORD) {
            char c = s[j];
            if (isSpace(c)
                    || c == ';'
                    || c == '|'
                    || c == '&'
                    || c == '`'
                    || c == '('
                    || c == ')'
                    || c == '<'
                    || c == '>'
                    || c == ','
                    || c == '}'
                    || c == '{'
                    || c == '\0') {
                break;
            }
            if (c == '$' && (startsWith(s, j, "${ifs}") || startsWith(s, j, "$ifs"))) {
                break;
            }
            j++;
        }
        return j;
    }

    private static String word(char[] s, int from, int to) {
        StringBuilder b = new StringBuilder();
        readWord(s, from, to, b);
        return b.toString();
    }

    /** Appends the word as a shell reads it; returns true when quotes or escapes split letters (w'h'o'am'i). */
    private static boolean readWord(char[] s, int from, int to, StringBuilder out) {
        int splits = 0;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c == '\'' || c == '"' || c == '\\') {
                if (out.length() > 0 && i + 1 < to && isLetter(s[i + 1])) {
                    splits++;
                }
                continue;
            }
            if (c == '$' && i + 1 < to && (s[i + 1] == '@' || s[i + 1] == '*')) {
                splits += out.length() > 0 ? 1 : 0;
                i++;
                continue;
            }
            out.append(c);
        }
        return splits > 0;
    }

    /**
     * What follows the command: 2 for an unmistakable shell argument (an option, an absolute or drive path, an
     * IP address, a redirection or another separator), 1 for something plausible (nothing at all, a number after
     * sleep or ping), 0 for prose.
     */
    private static int argumentShape(char[] s, int end, String word) {
        int n = s.length;
        int i = end;
        while (i < n && isSpace(s[i])) {
            i++;
        }
        if (i < n && s[i] == '$' && (startsWith(s, i, "${ifs}") || startsWith(s, i, "$ifs"))) {
            return 2;
        }
        if (i >= n) {
            return 1;
        }
        char c = s[i];
        if (c == ';' || c == '|' || c == '&' || c == '`' || c == '>' || c == '<' || c == ')' || c == '\0') {
            return i > end || c != ')' ? 2 : 1;
        }
        if (i == end) {
            return c == ',' || c == '}' ? 1 : 0;
        }
        if (c == '-' && i + 1 < n && (isLetter(s[i + 1]) || isDigit(s[i + 1]))) {
            return 2;
        }
        if (c == '/' && i + 1 < n && (isLetter(s[i + 1]) || s[i + 1] == '.')) {
            return word.equals("dir") || word.equals("cmd") || word.equals("type") ? 2 : 2;
        }
        if (c == '\\' || c == '~' || c == '$') {
            return 2;
        }
        if (isLetter(c) && i + 1 < n && s[i + 1] == ':' && (i + 2 >= n || !isDigit(s[i + 2]))) {
            return 2; // a drive: dir c:, type c:\\boot.ini
        }
        if (isDigit(c) && (word.equals("sleep") || word.equals("ping") || word.equals("timeout"))) {
            return 2;
        }
        return 0;
    }
}
