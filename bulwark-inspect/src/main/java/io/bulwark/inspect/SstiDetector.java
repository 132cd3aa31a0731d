package io.bulwark.inspect;

import static io.bulwark.inspect.Scan.isDigit;
import static io.bulwark.inspect.Scan.isLetter;
import static io.bulwark.inspect.Scan.isSpace;
import static io.bulwark.inspect.Scan.startsWith;

import java.util.function.Consumer;

/**
 * Server-side template injection: finds template expressions ({@code {{ }}}, {@code ${ }}, {@code #{ }}, {@code
 * *{ }}, {@code <%= %>}, {@code {% %}}) and directives (Freemarker {@code <#assign}, Velocity {@code #set(}) and
 * reads what is inside: object graph walks and code ({@code __class__}, {@code T(java.lang.Runtime)}, {@code
 * ?new()}, {@code |attr(}) are level 1, arithmetic probes ({@code {{7*7}}}) level 2, calls level 3; a plain
 * placeholder ({@code {{name}}}) is no finding. {@code ${jndi:...}} and other {@code ${prefix:...}} lookups belong
 * to the JNDI detector.
 *
 * <p>Each expression body is read up to the next closing brace found by a pointer that only moves forward, and
 * bodies are bounded, so the work is linear in the value's length.
 */
public final class SstiDetector implements Detector {
    private static final int MAX_BODY = 256;
    private static final String[] CODE = {
        "__class__",
        "__mro__",
        "__subclasses__",
        "__globals__",
        "__builtins__",
        "__init__",
        "__import__",
        "__base__",
        "config.",
        "config}",
        "config ",
        "self.",
        "self}",
        "request.application",
        "request.environ",
        "lipsum.",
        "cycler.",
        "joiner.",
        "namespace.",
        "url_for.",
        "get_flashed_messages",
        "getclass",
        ".class.",
        "t(java",
        "t (java",
        "java.lang",
        "runtime",
        "processbuilder",
        "exec(",
        "freemarker.template",
        "?new(",
        "|attr(",
        "popen",
        "os.system",
        "system(",
        "eval(",
        "require(",
        "process.",
        "constructor",
        "_self.env",
        "registerundefinedfiltercallback",
        "getfilter(",
        "$class",
        "classloader",
        "forname(",
        "invoke(",
        "getmethod(",
        "new java",
        "jdk.",
        "javax.script",
        "scriptengine",
        "getruntime",
        "subprocess",
        "mainmodule",
        "child_process",
        "file_get_contents(",
        "include(",
        "source(",
        "import(",
        "__proto__",
        "@java",
        "@org.",
        "ognl",
        "#context",
        "#_memberaccess",
        "objectconstructor",
        "instancecontextfactory",
        "uri.class"
    };

    public SstiDetector() {}

    @Override
    public Category category() {
        return Category.SSTI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            scan(form).report(Category.SSTI, value, form, findings);
        }
    }

    static Scan.Hit scan(String form) {
        char[] s = Scan.lower(form);
        Scan.Hit hit = new Scan.Hit();
        int n = s.length;
        int nextBrace = -1; // index of the next '}' at or after the current opener; moves forward only
        int nextPercent = -1; // index of the next "%>" or "%}"
        for (int i = 0; i + 1 < n && !hit.certain(); i++) {
            char c = s[i];
            char d = s[i + 1];
            if (d == '{' && (c == '{' || c == '$' || c == '#' || c == '*' || c == '@' || c == '~')) {
                int bodyStart = c == '{' ? i + 2 : i + 2;
                if (nextBrace < bodyStart) {
                    nextBrace = indexOf(s, '}', bodyStart);
                    if (nextBrace < 0) {
                        nextBrace = n; // none left: never search again
                    }
                }
                boolean closed = nextBrace < n && nextBrace - bodyStart <= MAX_BODY;
                int bodyEnd = closed ? nextBrace : Math.min(n, bodyStart + MAX_BODY);
                int inner = indexOf(s, '{', bodyStart, bodyEnd);
                if (inner >= 0) {
                    // nested opener: "${${7*7}}", "{{ {{7*7}} }}"; the innermost expression is the one to read
                    i = Math.max(i, inner - 2);
                    continue;
                }
                expression(s, c, i, bodyStart, bodyEnd, closed, hit);
                // every character belongs to at most one body: that keeps the scan linear
                i = Math.max(i, bodyEnd - 1);
            } else if (c == '<' && d == '%') {
                int bodyStart = i + 2 < n && (s[i + 2] == '=' || s[i + 2] == '-' || s[i + 2] == '#') ? i + 3 : i + 2;
                if (nextPercent < bodyStart) {
                    nextPercent = indexOf(s, '%', bodyStart);
                    while (nextPercent >= 0
                            && nextPercent + 1 < n
                            && s[nextPercent + 1] != '>'
                            && s[nextPercent + 1] != '}') {
                        nextPercent = indexOf(s, '%', nextPercent + 1);
                    }
                    if (nextPercent < 0) {
                        nextPercent = n;
                    }
                }
                boolean closed = nextPercent < n - 1 && nextPercent - bodyStart <= MAX_BODY;
                int bodyEnd = closed ? nextPercent : Math.min(n, bodyStart + MAX_BODY);
                int kind = body(s, bodyStart, bodyEnd);
                if (indexOf(s, '`', bodyStart, bodyEnd) >= 0) {
                    kind = 3; // Ruby backticks run a shell command
                }
                if (kind == 3) {
                    hit.offer(1, 0.9, i, bodyEnd + 2);
                } else if (kind == 2 && closed) {
                    hit.offer(2, 0.65, i, bodyEnd + 2);
                } else if (closed && s[i + 2] == '=') {
                    hit.offer(2, 0.5, i, bodyEnd + 2);
                }
                i = Math.max(i, bodyEnd - 1);
            } else if (c == '{' && d == '%') {
                int end = Math.min(n, i + 2 + MAX_BODY);
                int kind = body(s, i + 2, end);
                if (kind == 3) {
                    hit.offer(1, 0.9, i, end);
                } else {
                    int j = i + 2;
                    while (j < n && isSpace(s[j])) {
                        j++;
                    }
                    for (String k : new String[] {
                        "import", "include", "set ", "for ", "if ", "macro", "extends", "block", "raw", "debug"
                    }) {
                        if (startsWith(s, j, k)) {
                            hit.offer(3, 0.35, i, j + k.length());
                        }
                    }
                }
                i = Math.max(i + 1, end - 1);
            } else if (c == '<' && d == '#') {
                // Freemarker directives: <#assign ex="freemarker.template.utility.Execute"?new()>
                int end = Math.min(n, i + MAX_BODY);
                if (startsWith(s, i + 2, "assign")
                        || startsWith(s, i + 2, "list")
                        || startsWith(s, i + 2, "if")
                        || startsWith(s, i + 2, "include")
                        || startsWith(s, i + 2, "import")) {
                    boolean code = body(s, i + 2, end) == 3;
                    hit.offer(code ? 1 : 2, code ? 0.95 : 0.5, i, Math.min(n, i + 40));
                    i = Math.max(i, end - 1);
                }
            } else if (c == '#'
                    && isLetter(d)
                    && (startsWith(s, i, "#set") || startsWith(s, i, "#foreach") || startsWith(s, i, "#evaluate"))) {
                int j = i + 1;
                while (j < n && isLetter(s[j])) {
                    j++;
                }
                while (j < n && isSpace(s[j])) {
                    j++;
                }
                if (j < n && s[j] == '(') {
                    boolean code = body(s, j, Math.min(n, j + MAX_BODY)) == 3;
                    hit.offer(code ? 1 : 2, code ? 0.9 : 0.5, i, j + 1);
                    i = Math.max(i, Math.min(n, j + MAX_BODY) - 1);
                }
            } else if (c == '?' && startsWith(s, i, "?new(")) {
                hit.offer(1, 0.8, Math.max(0, i - 40), i + 6);
            } else if (c == 'f' && startsWith(s, i, "freemarker.template.utility.")) {
                hit.offer(1, 0.9, i, i + 40);
            }
        }
        return hit;
    }

    private static int indexOf(char[] s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(char[] s, char c, int from) {
        for (int i = from; i < s.length; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static void expression(char[] s, char opener, int start, int from, int to, boolean closed, Scan.Hit hit) {
        int i = from;
        while (i < to && isSpace(s[i])) {
            i++;
        }
        if (opener == '$') {
            // ${jndi:...}, ${env:NAME}, ${lower:x}, ${::-j}: lookups, not templates
            int j = i;
            while (j < to && (isLetter(s[j]) || s[j] == '_')) {
                j++;
            }
            if (j < to && s[j] == ':') {
                return;
            }
        }
        int kind = body(s, from, to);
        int end = closed ? to + 1 : to;
        if (kind == 3) {
            hit.offer(1, opener == '$' || opener == '{' || opener == '*' ? 0.95 : 0.85, start, end);
        } else if (kind == 2 && closed) {
            hit.offer(2, 0.6, start, end);
        } else if (kind == 1 && closed) {
            hit.offer(3, 0.35, start, end);
        }
    }

    /**
     * Classifies an expression body: 3 code or object-graph walking, 2 an arithmetic probe (7*7, 7*'7'), 1 a call
     * or a filter, 0 a plain placeholder or text.
     */
    static int body(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s[i];
            for (String k : CODE) {
                if (c == k.charAt(0) && startsWith(s, i, k) && i + k.length() <= to + 1) {
                    // a word keyword must start a word: "self." yes, "myself." no
                    if (isLetter(c) && i > from && (isLetter(s[i - 1]) || isDigit(s[i - 1]) || s[i - 1] == '_')) {
                        continue;
                    }
                    return 3;
                }
            }
        }
        int numbers = 0;
        int operators = 0;
        boolean other = false;
        boolean call = false;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (isDigit(c)) {
                numbers++;
                while (i + 1 < to && (isDigit(s[i + 1]) || s[i + 1] == '.')) {
                    i++;
                }
            } else if (c == '*' || c == '+' || c == '-' || c == '/' || c == '%' || c == '^') {
                operators++;
            } else if (c == '(' || c == '|') {
                call = true;
            } else if (!(isSpace(c) || c == '\'' || c == '"' || c == ')' || c == '=')) {
                other = true;
            }
        }
        if (!other && numbers >= 2 && operators >= 1) {
            return 2;
        }
        return call ? 1 : 0;
    }
}
