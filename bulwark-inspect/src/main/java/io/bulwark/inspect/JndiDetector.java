package io.bulwark.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * JNDI lookups (Log4Shell, CVE-2021-44228) and Java deserialization markers.
 *
 * <p>Obfuscated lookups ({@code ${${lower:j}ndi:...}}, {@code ${${::-j}${::-n}${::-d}${::-i}:...}}, {@code
 * ${${env:X:-j}ndi:...}}, {@code ${date:'j'}}) are resolved by a small evaluator that does what Log4j's
 * substitutor does with them: inner lookups first, {@code :-} defaults, {@code lower}/{@code upper}/{@code date}
 * literals, every other lookup empty. It is bounded: at most {@value #MAX_DEPTH} nested lookups are opened
 * (deeper {@code ${} are literal text), and the result is substituted again at most {@value #MAX_PASSES} times,
 * so the work is linear in the value's length. Escapes ({@code %7B}, {@code \}{@code u007B}, {@code &lbrace;},
 * {@code &#36;}) are decoded first.
 *
 * <p>Serialized Java objects ({@code rO0AB} in base64 at any alignment, {@code aced0005} in hex) count at
 * paranoia 2: they are what gadget-chain exploits send, but some legacy applications do exchange them.
 */
public final class JndiDetector implements Detector {
    static final int MAX_DEPTH = 32;
    static final int MAX_PASSES = 3;

    private static final Set<String> PROTOCOLS =
            Set.of("ldap", "ldaps", "rmi", "dns", "iiop", "corba", "nds", "nis", "http", "https");
    /** Lookups whose only use in a request is to leak data or to build a hidden "jndi". */
    private static final Set<String> LOOKUPS = Set.of(
            "env",
            "sys",
            "java",
            "main",
            "ctx",
            "bundle",
            "base64",
            "k8s",
            "docker",
            "spring",
            "log4j",
            "marker",
            "map",
            "sd",
            "web",
            "event",
            "jvmrunargs",
            "date",
            "lower",
            "upper",
            "");

    private static final String[] SERIALIZED_BASE64 = {"rO0AB", "KztAA", "s7QAF"};

    public JndiDetector() {}

    @Override
    public Category category() {
        return Category.JNDI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        for (String form : value.forms()) {
            Scan.Best best = new Scan.Best();
            scan(form, value.location(), best);
            best.reportTo(findings);
        }
    }

    private static void scan(String form, Location location, Scan.Best best) {
        serialized(form, location, best);
        String s = Scan.decodeLite(form, 3);
        if (s.indexOf('{') < 0 && Scan.indexOfIgnoreCase(s, "jndi", 0) < 0) {
            return;
        }
        int first = s.indexOf("${");
        if (first >= 0) {
            Result r = evaluate(s);
            if (r.jndi) {
                boolean plain = Scan.regionMatches(s, first, "${jndi:");
                double c = r.knownProtocol ? (plain ? 0.99 : 0.97) : 0.9;
                best.offer(new Finding(Category.JNDI, c, location, Scan.excerpt(s, first), 1));
                return;
            }
            if (r.obfuscation) {
                best.offer(new Finding(Category.JNDI, 0.7, location, Scan.excerpt(s, first), 2));
            } else if (r.lookup) {
                best.offer(new Finding(Category.JNDI, 0.5, location, Scan.excerpt(s, first), 3));
            }
        }
        // "jndi:ldap://" without a readable "${": a brace hidden some other way ($&lbrace without ';', ...).
        for (int i = Scan.indexOfIgnoreCase(s, "jndi:", 0); i >= 0; i = Scan.indexOfIgnoreCase(s, "jndi:", i + 5)) {
            if (protocolAt(s, i + 5) && s.indexOf("://", i + 5) >= 0) {
                best.offer(new Finding(Category.JNDI, 0.8, location, Scan.excerpt(s, Math.max(0, i - 2)), 2));
                break;
            }
        }
    }

    private static boolean protocolAt(String s, int at) {
        int e = at;
        while (e < s.length() && e - at < 8 && Scan.isAsciiLetter(s.charAt(e))) {
            e++;
        }
        return e < s.length()
                && s.charAt(e) == ':'
                && PROTOCOLS.contains(s.substring(at, e).toLowerCase(Locale.ROOT));
    }

    private static void serialized(String s, Location location, Scan.Best best) {
        for (String marker : SERIALIZED_BASE64) {
            int i = s.indexOf(marker);
            if (i >= 0) {
                best.offer(new Finding(Category.JNDI, 0.75, location, Scan.excerpt(s, i), 2));
                return;
            }
        }
        int hex = Scan.indexOfIgnoreCase(s, "aced0005", 0);
        if (hex < 0) {
            hex = s.indexOf("\u00ac\u00ed\u0000\u0005");
        }
        if (hex >= 0) {
            best.offer(new Finding(Category.JNDI, 0.75, location, Scan.excerpt(s, hex), 2));
        }
    }

    /** What the evaluator saw. */
    static final class Result {
        boolean jndi;
        boolean knownProtocol;
        /** A lookup that only serves to hide characters: {@code ${::-j}}, {@code ${lower:x}}, nesting. */
        boolean obfuscation;
        /** Any known lookup ({@code ${env:HOME}}). */
        boolean lookup;

        String resolved = "";
    }

    /** Resolves the lookups of {@code s} the way Log4j would, within the bounds; reports a jndi lookup. */
    static Result evaluate(String s) {
        Result r = new Result();
        String cur = s;
        for (int pass = 0; pass < MAX_PASSES && !r.jndi; pass++) {
            if (cur.indexOf("${") < 0) {
                break;
            }
            String next = pass(cur, r);
            if (next.equals(cur)) {
                break;
            }
            cur = next;
        }
        r.resolved = cur;
        return r;
    }

    private static String pass(String s, Result r) {
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        List<StringBuilder> stack = new ArrayList<>(MAX_DEPTH);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{' && stack.size() < MAX_DEPTH) {
                stack.add(new StringBuilder());
                i++;
                continue;
            }
            if (c == '}' && !stack.isEmpty()) {
                String content = stack.remove(stack.size() - 1).toString();
                if (!stack.isEmpty()) {
                    r.obfuscation = true;
                }
                String value = resolve(content, r);
                (stack.isEmpty() ? out : stack.get(stack.size() - 1)).append(value);
                if (r.jndi) {
                    return out.toString();
                }
                continue;
            }
            (stack.isEmpty() ? out : stack.get(stack.size() - 1)).append(c);
        }
        // Unclosed lookups are literal text; each frame's text follows its parent's, so appending is enough.
        for (StringBuilder frame : stack) {
            out.append("${").append(frame);
        }
        return out.toString();
    }

    private static String resolve(String content, Result r) {
        int colon = content.indexOf(':');
        String prefix =
                (colon < 0 ? content : content.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        if (prefix.equals("jndi")) {
            r.jndi = true;
            int p = colon + 1;
            while (p < content.length() && content.charAt(p) == ' ') {
                p++;
            }
            r.knownProtocol = protocolAt(content, p);
            return "";
        }
        if (colon >= 0 && LOOKUPS.contains(prefix)) {
            r.lookup = true;
        }
        int def = content.indexOf(":-");
        if (def >= 0) {
            r.obfuscation = true;
            return content.substring(def + 2);
        }
        if (colon < 0) {
            // An unknown variable stays as written, as in Log4j: "${${::-j}}" is "${j}", not "j".
            return content.isEmpty() ? "" : "${" + content + "}";
        }
        String rest = content.substring(colon + 1);
        return switch (prefix) {
            case "lower" -> {
                r.obfuscation = true;
                yield rest.toLowerCase(Locale.ROOT);
            }
            case "upper" -> {
                r.obfuscation = true;
                yield rest.toUpperCase(Locale.ROOT);
            }
            case "date" -> {
                r.obfuscation = true;
                yield rest.replace("'", "");
            }
            default -> "";
        };
    }
}
