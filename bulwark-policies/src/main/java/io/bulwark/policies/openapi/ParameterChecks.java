package io.bulwark.policies.openapi;

import com.networknt.schema.Error;
import io.bulwark.api.Exchange;
import io.bulwark.api.OperationMatch;
import io.bulwark.policies.openapi.Parameter.In;
import io.bulwark.policies.openapi.Parameter.Type;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads the parameters of a request as their schemas' JSON types ({@code form} and {@code simple} styles, arrays of
 * primitives exploded or delimited) and validates them. Details name the parameter and the broken constraint, never
 * the value.
 */
final class ParameterChecks {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** More pairs than this in one query string is not an API call. */
    private static final int MAX_QUERY_PAIRS = 1000;

    private static final int MAX_NUMBER_CHARS = 100;

    private ParameterChecks() {}

    /** Checks every parameter; adds at most {@code max} violations to {@code out}. */
    static void check(
            OperationRules rules,
            Exchange exchange,
            OperationMatch match,
            int maxArrayItems,
            List<Violation> out,
            int max) {
        Map<String, List<String>> query = null;
        Map<String, List<String>> cookies = null;
        for (Parameter p : rules.parameters()) {
            if (out.size() >= max) {
                return;
            }
            List<String> values;
            switch (p.in()) {
                case PATH -> {
                    String v = match.pathParameters().get(p.name());
                    values = v == null ? List.of() : List.of(v);
                }
                case QUERY -> {
                    if (query == null) {
                        query = query(exchange.query());
                        if (query == null) {
                            out.add(new Violation(
                                    OpenApiErrors.OAS_PARAMETER_INVALID,
                                    "query string: malformed percent-encoding or too many parameters"));
                            return;
                        }
                    }
                    values = query.getOrDefault(p.name(), List.of());
                }
                case HEADER -> values = exchange.requestHeaders().getAll(p.name());
                default -> {
                    if (cookies == null) {
                        cookies = cookies(exchange.requestHeaders().getAll("Cookie"));
                    }
                    values = cookies.getOrDefault(p.name(), List.of());
                }
            }
            Violation v = one(p, values, maxArrayItems);
            if (v != null) {
                out.add(v);
            }
        }
    }

    private static Violation one(Parameter p, List<String> values, int maxArrayItems) {
        if (values.isEmpty()) {
            if (p.required() && !(p.shape() == Type.OTHER && p.in() == In.QUERY)) {
                return new Violation(OpenApiErrors.OAS_PARAMETER_MISSING, p.label() + " is required");
            }
            return null;
        }
        if (p.shape() == Type.OTHER || p.schema() == null) {
            return null;
        }
        boolean multi = p.shape() == Type.ARRAY && p.exploded() && (p.in() == In.QUERY || p.in() == In.COOKIE);
        if (values.size() > 1 && !multi) {
            return new Violation(
                    OpenApiErrors.OAS_PARAMETER_INVALID,
                    p.label() + ": given " + values.size() + " times (expected: once)");
        }
        JsonNode node;
        if (p.shape() == Type.ARRAY) {
            List<String> items = multi ? values : split(values.get(0), p.delimiter());
            if (items.size() > maxArrayItems) {
                return new Violation(
                        OpenApiErrors.OAS_PARAMETER_INVALID, p.label() + ": more than " + maxArrayItems + " items");
            }
            ArrayNode array = NODES.arrayNode();
            for (String item : items) {
                JsonNode n = value(p.itemType(), item);
                if (n == null) {
                    return typeError(p, p.itemType(), true);
                }
                array.add(n);
            }
            node = array;
        } else {
            node = value(p.shape(), values.get(0));
            if (node == null) {
                return typeError(p, p.shape(), false);
            }
        }
        List<Error> errors;
        try {
            errors = p.schema().validate(node);
        } catch (RuntimeException e) {
            return new Violation(OpenApiErrors.OAS_PARAMETER_INVALID, p.label() + ": cannot be validated");
        }
        if (errors.isEmpty()) {
            return null;
        }
        Error e = errors.get(0);
        String at =
                e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return new Violation(
                OpenApiErrors.OAS_PARAMETER_INVALID,
                p.label() + (at.isEmpty() || at.equals("/") ? "" : " item " + Texts.safe(at)) + ": breaks '"
                        + e.getKeyword() + "'" + Constraints.describe(e));
    }

    private static Violation typeError(Parameter p, Type type, boolean item) {
        String a = switch (type) {
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            default -> "a string";
        };
        return new Violation(
                OpenApiErrors.OAS_PARAMETER_INVALID,
                p.label() + ": not " + a + (item ? " in every item" : "") + " (expected: " + a + ")");
    }

    /** The JSON value of a raw text, or null when it is not of the type. */
    static JsonNode value(Type type, String raw) {
        switch (type) {
            case INTEGER -> {
                if (!isInteger(raw)) {
                    return null;
                }
                return NODES.numberNode(new BigInteger(raw));
            }
            case NUMBER -> {
                if (raw.isEmpty() || raw.length() > MAX_NUMBER_CHARS || !isNumberText(raw)) {
                    return null;
                }
                try {
                    BigDecimal d = new BigDecimal(raw);
                    return NODES.numberNode(d);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            case BOOLEAN -> {
                return raw.equals("true")
                        ? NODES.booleanNode(true)
                        : raw.equals("false") ? NODES.booleanNode(false) : null;
            }
            default -> {
                return NODES.stringNode(raw);
            }
        }
    }

    private static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() > MAX_NUMBER_CHARS) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** JSON number syntax: no hex, no "Infinity", no "NaN", no leading '+'. */
    private static boolean isNumberText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+' && i > 0)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> split(String s, char delimiter) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == delimiter) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** Decoded query pairs by name, in order; null when the query is malformed or has too many pairs. */
    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        int pairs = 0;
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++pairs > MAX_QUERY_PAIRS) {
                return null;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name == null || value == null) {
                return null;
            }
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return out;
    }

    /** Cookie pairs by name from every {@code Cookie} header. */
    static Map<String, List<String>> cookies(List<String> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String h : headers) {
            for (String pair : h.split(";", -1)) {
                String t = pair.strip();
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                out.computeIfAbsent(t.substring(0, eq).strip(), k -> new ArrayList<>(1))
                        .add(t.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /** Form decoding ({@code +} is a space), strict UTF-8; null for a malformed escape. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
