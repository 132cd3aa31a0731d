package io.bulwark.inspect;

import static io.bulwark.inspect.Scan.isDigit;
import static io.bulwark.inspect.Scan.isLetter;
import static io.bulwark.inspect.Scan.isSpace;
import static io.bulwark.inspect.Scan.startsWith;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Cross-site scripting: a simplified HTML5 tokenizer (tags, attribute names, quoted and unquoted values) that
 * looks for what executes or loads, plus scanners for attribute and script context breakouts and script URLs.
 * Every pass moves forward only, so the work is linear in the value's length.
 *
 * <p>Levels: 1 for tags and attributes that run script ({@code <script}, {@code on*=} handlers, {@code
 * javascript:} URLs in attributes, {@code </script>}), 2 for markup that loads or breaks a context ({@code
 * <svg>}, {@code <form>}, HTML tags with attributes, JS sinks like {@code alert(}), 3 for plain markup ({@code
 * <b>}).
 */
public final class XssDetector implements Detector {
    private static final Set<String> EXECUTING = Set.of(
            "iframe",
            "frame",
            "frameset",
            "object",
            "embed",
            "applet",
            "base",
            "link",
            "meta",
            "layer",
            "ilayer",
            "bgsound",
            "isindex",
            "xml",
            "import",
            "portal",
            "xss");
    private static final Set<String> WEAK_BREAKOUT = Set.of(
            "title",
            "textarea",
            "style",
            "noscript",
            "xmp",
            "comment",
            "iframe",
            "noembed",
            "noframes",
            "plaintext",
            "head",
            "body",
            "html",
            "template",
            "svg",
            "math",
            "select",
            "option");
    private static final Set<String> HTML = Set.of(
            "a",
            "abbr",
            "address",
            "area",
            "article",
            "aside",
            "audio",
            "b",
            "bdi",
            "bdo",
            "big",
            "blink",
            "blockquote",
            "body",
            "br",
            "button",
            "canvas",
            "caption",
            "center",
            "cite",
            "code",
            "col",
            "colgroup",
            "data",
            "datalist",
            "dd",
            "del",
            "details",
            "dfn",
            "dialog",
            "dir",
            "div",
            "dl",
            "dt",
            "em",
            "fieldset",
            "figcaption",
            "figure",
            "font",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "head",
            "header",
            "hr",
            "html",
            "i",
            "img",
            "image",
            "input",
            "ins",
            "kbd",
            "keygen",
            "label",
            "legend",
            "li",
            "main",
            "map",
            "mark",
            "marquee",
            "menu",
            "meter",
            "nav",
            "noscript",
            "ol",
            "optgroup",
            "option",
            "output",
            "p",
            "param",
            "picture",
            "pre",
            "progress",
            "q",
            "s",
            "samp",
            "section",
            "select",
            "small",
            "source",
            "span",
            "strike",
            "strong",
            "sub",
            "summary",
            "sup",
            "table",
            "tbody",
            "td",
            "textarea",
            "tfoot",
            "th",
            "thead",
            "time",
            "title",
            "tr",
            "track",
            "tt",
            "u",
            "ul",
            "var",
            "video",
            "wbr",
            "xmp",
            "plaintext",
            "listing",
            "animate",
            "set",
            "use",
            "foreignobject",
            "svg",
            "math",
            "style",
            "template",
            "noembed",
            "noframes");
    private static final String[] SINKS = {
        "alert",
        "prompt",
        "confirm",
        "eval",
        "msgbox",
        "settimeout",
        "setinterval",
        "fromcharcode",
        "atob",
        "document.cookie",
        "document.write",
        "document.location",
        "document.domain",
        "window.location",
        "location.href",
        "innerhtml",
        "outerhtml",
        "constructor"
    };
    private static final String[] SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript", "mocha"};
    private static final int MAX_SCHEME_LOOKBACK = 40;

    public XssDetector() {}

    @Override
    public Category category() {
        return Category.XSS;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            scan(form).report(Category.XSS, value, form, findings);
        }
    }

    static Scan.Hit scan(String form) {
        char[] s = Scan.lower(form);
        Scan.Hit hit = new Scan.Hit();
        boolean markup = false;
        for (char c : s) {
            if (c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == '(') {
                markup = true;
                break;
            }
        }
        tags(s, hit);
        if (!hit.certain()) {
            schemes(s, hit);
        }
        if (!hit.certain()) {
            handlers(s, markup, hit);
        }
        if (!hit.certain()) {
            script(s, hit);
        }
        return hit;
    }

    // ---- tags

    private static void tags(char[] s, Scan.Hit hit) {
        int n = s.length;
        int i = 0;
        while (i < n && !hit.certain()) {
            if (s[i] != '<' || i + 1 >= n) {
                i++;
                continue;
            }
            char c = s[i + 1];
            if (c == '/') {
                int j = i + 2;
                while (j < n && isTagNameChar(s[j])) {
                    j++;
                }
                closing(new String(s, i + 2, j - (i + 2)), i, j, hit);
                i = j;
            } else if (c == '!') {
                if (startsWith(s, i, "<![cdata[")) {
                    hit.offer(2, 0.5, i, i + 9);
                } else if (startsWith(s, i, "<!--")) {
                    hit.offer(3, 0.3, i, i + 4);
                }
                i += 2;
            } else if (c == '?') {
                if (startsWith(s, i + 2, "import") || startsWith(s, i + 2, "xml:namespace")) {
                    hit.offer(1, 0.8, i, i + 8);
                } else if (i + 2 < n && isLetter(s[i + 2])) {
                    hit.offer(3, 0.3, i, i + 5);
                }
                i += 2;
            } else if (isLetter(c)) {
                i = tag(s, i, hit);
            } else if (c == '<' || c == '+' || isSpace(c)) {
                i++;
            } else {
                i += 2;
            }
        }
    }

    private static boolean isTagNameChar(char c) {
        return isLetter(c) || isDigit(c) || c == '-' || c == ':' || c == '_';
    }

    private static void closing(String name, int start, int end, Scan.Hit hit) {
        if (name.equals("script")) {
            hit.offer(1, 0.9, start, end);
        } else if (WEAK_BREAKOUT.contains(name)) {
            hit.offer(2, 0.5, start, end);
        } else if (HTML.contains(name)) {
            hit.offer(3, 0.25, start, end);
        }
    }

    /** Parses one start tag at s[start] == '<' and returns where scanning resumes (always after start). */
    private static int tag(char[] s, int start, Scan.Hit hit) {
        int n = s.length;
        int j = start + 1;
        while (j < n && isTagNameChar(s[j])) {
            j++;
        }
        String name = new String(s, start + 1, Math.min(j - start - 1, 32));
        // a namespaced element is the element: <x:script xmlns:x="http://www.w3.org/1999/xhtml">
        name = name.substring(name.lastIndexOf(':') + 1);
        int attributes = 0;
        boolean closed = false;
        boolean equiv = false;
        while (j < n) {
            char c = s[j];
            if (c == '>') {
                closed = true;
                j++;
                break;
            }
            if (c == '<') {
                break;
            }
            if (isSpace(c) || c == '/' || c == '+' || c == '=') {
                j++;
                continue;
            }
            int a = j;
            while (j < n && !isSpace(s[j]) && s[j] != '/' && s[j] != '>' && s[j] != '=' && s[j] != '<') {
                j++;
            }
            String attr = trimAttr(s, a, j);
            attributes++;
            int k = j;
            while (k < n && isSpace(s[k])) {
                k++;
            }
            int vs = -1;
            int ve = -1;
            if (k < n && s[k] == '=') {
                k++;
                while (k < n && isSpace(s[k])) {
                    k++;
                }
                if (k < n && (s[k] == '"' || s[k] == '\'' || s[k] == '`')) {
                    char q = s[k];
                    vs = k + 1;
                    ve = vs;
                    while (ve < n && s[ve] != q) {
                        ve++;
                    }
                    j = Math.min(n, ve + 1);
                } else {
                    vs = k;
                    ve = k;
                    while (ve < n && !isSpace(s[ve]) && s[ve] != '>') {
                        ve++;
                    }
                    j = ve;
                }
            }
            equiv |= attr.equals("http-equiv");
            attribute(name, attr, s, vs, ve, start, hit);
        }
        element(name, s, start, j, attributes, closed, equiv, hit);
        return Math.max(j, start + 1);
    }

    private static String trimAttr(char[] s, int from, int to) {
        while (from < to && !isLetter(s[from])) {
            from++;
        }
        return new String(s, from, Math.min(to - from, 32));
    }

    private static void attribute(String tag, String attr, char[] s, int vs, int ve, int start, Scan.Hit hit) {
        boolean hasValue = vs >= 0;
        if (isHandler(attr)) {
            hit.offer(hasValue ? 1 : 3, hasValue ? 0.95 : 0.3, start, Math.max(ve, start + attr.length()));
        }
        if (!hasValue) {
            return;
        }
        int scheme = schemeAt(s, vs, ve);
        if (scheme == 2) {
            hit.offer(1, 0.95, start, ve);
        } else if (scheme == 1) {
            hit.offer(1, 0.85, start, ve);
        } else if (scheme == 3) {
            hit.offer(tag.equals("a") || tag.equals("img") ? 3 : 2, 0.4, start, ve);
        }
        if (Scan.contains(s, "&{", vs, ve)) {
            hit.offer(1, 0.8, start, ve);
        }
        switch (attr) {
            case "style" -> {
                if (dangerousCss(s, vs, ve)) {
                    hit.offer(1, 0.85, start, ve);
                }
            }
            case "srcdoc", "datasrc", "dataformatas", "datafld" -> hit.offer(1, 0.75, start, ve);
            case "formaction" -> hit.offer(2, 0.6, start, ve);
            default -> {}
        }
    }

    /** An event handler attribute: on + at least three letters (onload, onerror, onmouseover, onfocus, ...). */
    private static boolean isHandler(String attr) {
        if (attr.length() < 5 || !attr.startsWith("on")) {
            return false;
        }
        return isLetter(attr.charAt(2)) && isLetter(attr.charAt(3)) && isLetter(attr.charAt(4));
    }

    /**
     * The scheme a URL in s[from, to) starts with, as browsers read it: tabs, newlines and spaces inside the
     * scheme are skipped, numeric character references decoded. 2: a script scheme, 1: an HTML or SVG data URL,
     * 3: another data URL, 0: anything else.
     */
    static int schemeAt(char[] s, int from, int to) {
        StringBuilder b = new StringBuilder(16);
        int i = from;
        while (i < to && b.length() < 16) {
            char c = s[i];
            if (c == '&' && i + 1 < to && s[i + 1] == '#') {
                int j = i + 2;
                int radix = 10;
                if (j < to && s[j] == 'x') {
                    radix = 16;
                    j++;
                }
                int v = 0;
                int digits = 0;
                while (j < to && digits < 8 && Character.digit(s[j], radix) >= 0) {
                    v = v * radix + Character.digit(s[j], radix);
                    j++;
                    digits++;
                }
                if (j < to && s[j] == ';') {
                    j++;
                }
                c = digits == 0 ? '&' : (char) Math.min(v, 0xffff);
                i = j;
            } else if (c == '&' && startsWith(s, i, "&tab;")) {
                c = '\t';
                i += 5;
            } else if (c == '&' && startsWith(s, i, "&newline;")) {
                c = '\n';
                i += 9;
            } else if (c == '&' && startsWith(s, i, "&colon;")) {
                c = ':';
                i += 7;
            } else {
                i++;
            }
            if (c == ':') {
                return classify(b.toString(), s, i, to);
            }
            if (isLetter(c)) {
                b.append(c);
            } else if (!isSpace(c) && c >= 0x20) {
                return 0;
            }
        }
        return 0;
    }

    private static int classify(String scheme, char[] s, int after, int to) {
        for (String k : SCRIPT_SCHEMES) {
            if (scheme.equals(k)) {
                return 2;
            }
        }
        if (scheme.equals("data")) {
            int i = after;
            while (i < to && isSpace(s[i])) {
                i++;
            }
            if (startsWith(s, i, "text/html") || startsWith(s, i, "image/svg") || startsWith(s, i, "application/x")) {
                return 1;
            }
            return 3;
        }
        return 0;
    }

    /** CSS that runs script or loads code: expression(), script URLs, bindings, behaviours, imports. */
    private static boolean dangerousCss(char[] s, int from, int to) {
        // Comments and escapes split keywords (expr/**/ession, @im\port): drop them, bounded.
        StringBuilder b = new StringBuilder();
        int i = from;
        while (i < to && b.length() < 1024) {
            if (s[i] == '/' && i + 1 < to && s[i + 1] == '*') {
                int e = Scan.indexOf(s, "*/", i + 2, to);
                i = e < 0 || e >= to ? to : e + 2;
                continue;
            }
            if (s[i] != '\\' && !isSpace(s[i])) {
                b.append(s[i]);
            }
            i++;
        }
        String css = b.toString();
        return css.contains("expression(")
                || css.contains("javascript:")
                || css.contains("vbscript:")
                || css.contains("binding:")
                || css.contains("behavior:")
                || css.contains("behaviour:")
                || css.contains("@import");
    }

    private static void element(
            String name, char[] s, int start, int end, int attributes, boolean closed, boolean equiv, Scan.Hit hit) {
        boolean complete = closed || attributes > 0;
        if (name.equals("script")) {
            hit.offer(1, complete ? 0.95 : 0.8, start, end);
        } else if (name.equals("style")) {
            boolean css = dangerousCss(s, end, Math.min(s.length, end + 256));
            hit.offer(css ? 1 : 2, css ? 0.9 : 0.6, start, end);
        } else if (name.equals("meta")) {
            hit.offer(equiv ? 1 : 2, equiv ? 0.9 : 0.5, start, end);
        } else if (name.equals("xml")) {
            // an XML data island loads with attributes (src, id); a bare <xml> is what XML documents start with
            hit.offer(attributes > 0 ? 1 : 2, attributes > 0 ? 0.8 : 0.4, start, end);
        } else if (EXECUTING.contains(name)) {
            hit.offer(complete ? 1 : 2, complete ? 0.85 : 0.5, start, end);
        } else if (name.equals("svg") || name.equals("math") || name.equals("form")) {
            hit.offer(2, 0.6, start, end);
        } else if (HTML.contains(name)) {
            if (attributes > 0) {
                hit.offer(2, 0.5, start, end);
            } else if (closed) {
                hit.offer(3, 0.3, start, end);
            }
        } else if (closed && attributes > 0) {
            hit.offer(3, 0.3, start, end);
        }
    }

    // ---- script URLs outside tags: javascript:alert(1) as a redirect target, "javascript:..." in a quoted context

    private static void schemes(char[] s, Scan.Hit hit) {
        int n = s.length;
        for (int i = 0; i < n; i++) {
            if (s[i] != ':') {
                continue;
            }
            // walk back over letters, skipping the whitespace browsers ignore inside a scheme
            StringBuilder b = new StringBuilder(12);
            int p = i - 1;
            int first = i;
            while (p >= 0 && i - p <= MAX_SCHEME_LOOKBACK && b.length() < 11) {
                if (isLetter(s[p])) {
                    b.append(s[p]);
                    first = p;
                } else if (!(isSpace(s[p]) || s[p] < 0x20)) {
                    break;
                }
                p--;
            }
            if (p >= 0 && isLetter(s[p])) {
                continue;
            }
            String scheme = b.reverse().toString();
            boolean script = false;
            for (String k : SCRIPT_SCHEMES) {
                script |= scheme.equals(k);
            }
            boolean data = scheme.equals("data") && classify("data", s, i + 1, n) == 1;
            if (!script && !data) {
                continue;
            }
            int q = first - 1;
            while (q >= 0 && isSpace(s[q])) {
                q--;
            }
            boolean strongContext = q < 0 || "\"'`=(>,[".indexOf(s[q]) >= 0;
            boolean followed = i + 1 < n && !isSpace(s[i + 1]);
            if (strongContext && followed) {
                hit.offer(1, data ? 0.85 : 0.9, first, i + 1);
            } else if (followed) {
                hit.offer(2, 0.6, first, i + 1);
            } else {
                hit.offer(3, 0.3, first, i + 1);
            }
        }
    }

    // ---- attribute breakouts: " onmouseover=..., ' autofocus onfocus=...

    private static void handlers(char[] s, boolean markup, Scan.Hit hit) {
        int n = s.length;
        for (int i = 0; i + 5 < n; i++) {
            if (s[i] != 'o' || s[i + 1] != 'n') {
                continue;
            }
            char before = i == 0 ? ' ' : s[i - 1];
            if (!(isSpace(before) || before == '"' || before == '\'' || before == '/' || before == '`')) {
                continue;
            }
            int j = i + 2;
            while (j < n && isLetter(s[j]) && j - i < 40) {
                j++;
            }
            if (j - i < 5) {
                continue;
            }
            int k = j;
            while (k < n && isSpace(s[k])) {
                k++;
            }
            if (k < n && s[k] == '=') {
                hit.offer(markup ? 1 : 2, markup ? 0.9 : 0.6, i, k + 1);
            }
            i = j - 1;
        }
    }

    // ---- script context: '";alert(1)//, sinks, UTF-7 and Netscape entities

    private static void script(char[] s, Scan.Hit hit) {
        int n = s.length;
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (c == '"' || c == '\'' || c == '`') {
                int j = i + 1;
                while (j < n && j - i < 8 && (isSpace(s[j]) || s[j] == ')' || s[j] == ']' || s[j] == '}')) {
                    j++;
                }
                if (j < n && (s[j] == ';' || s[j] == '+' || s[j] == '-' || s[j] == ',' || s[j] == '|' || s[j] == '&')) {
                    j++;
                    if (j < n && (s[j] == '|' || s[j] == '&')) {
                        j++;
                    }
                    while (j < n && isSpace(s[j])) {
                        j++;
                    }
                    if (sinkAt(s, j) > 0) {
                        hit.offer(1, 0.9, i, j + sinkAt(s, j));
                    }
                }
            } else if (isLetter(c) && (i == 0 || !Scan.isWordChar(s[i - 1]) || endsWithScript(s, i))) {
                int len = sinkAt(s, i);
                if (len > 0) {
                    hit.offer(2, 0.6, i, i + len);
                }
            } else if (c == '&' && i + 1 < n && s[i + 1] == '{') {
                hit.offer(2, 0.5, i, i + 2);
            } else if (c == '+' && startsWith(s, i, "+adw-")) {
                hit.offer(startsWith(s, i + 5, "script") ? 1 : 2, 0.7, i, i + 5);
            } else if (c == 'e' && startsWith(s, i, "expression(") && i > 0 && s[i - 1] == ':') {
                hit.offer(1, 0.8, i, i + 11);
            }
        }
    }

    /** "scriptalert(1)": what is left of a script tag after a filter removed the angle brackets. */
    private static boolean endsWithScript(char[] s, int i) {
        return i >= 6 && startsWith(s, i - 6, "script");
    }

    /** The length of the JS sink call at s[i] ("alert(", "document.cookie", "eval (" ...), or 0. */
    private static int sinkAt(char[] s, int i) {
        for (String k : SINKS) {
            if (startsWith(s, i, k)) {
                int j = i + k.length();
                if (k.indexOf('.') >= 0 || k.endsWith("html")) {
                    return j < s.length && Scan.isWordChar(s[j]) ? 0 : k.length();
                }
                while (j < s.length && j - i - k.length() < 4 && isSpace(s[j])) {
                    j++;
                }
                if (j < s.length && (s[j] == '(' || s[j] == '`')) {
                    return j + 1 - i;
                }
            }
        }
        return 0;
    }
}
