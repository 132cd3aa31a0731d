package io.bulwark.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One segment of an OpenAPI path template: literal text and {@code {name}} parameters, such as {@code orders},
 * {@code {orderId}} or {@code report.{format}}. A parameter takes at least one character, up to the next literal
 * piece; it never spans a {@code /}.
 */
final class PathTemplate {
    private PathTemplate() {}

    /** A compiled segment: literal pieces and parameter names, alternating as written. */
    record Segment(List<String> literals, List<String> params, boolean startsWithParam) {
        boolean isLiteral() {
            return params.isEmpty();
        }

        /** Matches a raw (percent-encoded) segment, putting raw parameter values into {@code out}. */
        boolean match(String raw, Map<String, String> out) {
            int pos = 0;
            int li = 0;
            int pi = 0;
            boolean paramNext = startsWithParam;
            while (li < literals.size() || pi < params.size()) {
                if (paramNext) {
                    String name = params.get(pi++);
                    int end;
                    if (li < literals.size()) {
                        end = raw.indexOf(literals.get(li), pos + 1);
                        if (end < 0) {
                            return false;
                        }
                    } else {
                        end = raw.length();
                        if (end == pos) {
                            return false;
                        }
                    }
                    out.put(name, raw.substring(pos, end));
                    pos = end;
                } else {
                    String lit = literals.get(li++);
                    if (!raw.startsWith(lit, pos)) {
                        return false;
                    }
                    pos += lit.length();
                }
                paramNext = !paramNext;
            }
            return pos == raw.length();
        }
    }

    /** The template's segments, or empty when it is malformed (unbalanced braces, empty name, two adjacent). */
    static Optional<List<Segment>> parse(String template) {
        if (!template.startsWith("/")) {
            return Optional.empty();
        }
        List<Segment> out = new ArrayList<>();
        String body = template.substring(1);
        if (body.isEmpty()) {
            return Optional.of(out);
        }
        for (String seg : body.split("/", -1)) {
            Segment s = segment(seg);
            if (s == null) {
                return Optional.empty();
            }
            out.add(s);
        }
        return Optional.of(out);
    }

    private static Segment segment(String seg) {
        List<String> literals = new ArrayList<>();
        List<String> params = new ArrayList<>();
        boolean startsWithParam = seg.startsWith("{");
        int i = 0;
        boolean lastWasParam = false;
        while (i < seg.length()) {
            int open = seg.indexOf('{', i);
            int close = seg.indexOf('}', i);
            if (open < 0) {
                if (close >= 0) {
                    return null;
                }
                literals.add(seg.substring(i));
                break;
            }
            if (close >= 0 && close < open) {
                return null;
            }
            if (open > i) {
                literals.add(seg.substring(i, open));
                lastWasParam = false;
            } else if (lastWasParam) {
                return null; // "{a}{b}": no way to tell where one ends
            }
            int end = seg.indexOf('}', open);
            if (end < 0) {
                return null;
            }
            String name = seg.substring(open + 1, end);
            if (name.isEmpty() || name.indexOf('{') >= 0) {
                return null;
            }
            params.add(name);
            lastWasParam = true;
            i = end + 1;
        }
        return new Segment(List.copyOf(literals), List.copyOf(params), startsWithParam);
    }

    /** The template with parameter names erased: two templates of one shape match the same requests. */
    static String shape(String template) {
        return template.replaceAll("\\{[^}/]*}", "{}");
    }
}
