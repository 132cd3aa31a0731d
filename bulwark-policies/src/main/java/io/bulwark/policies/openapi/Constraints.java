package io.bulwark.policies.openapi;

import com.networknt.schema.Error;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Short renderings of the broken constraint, taken from the spec (never from the request). */
final class Constraints {
    private static final Set<String> NUMERIC = Set.of(
            "maximum",
            "minimum",
            "exclusiveMaximum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "maxItems",
            "minItems",
            "maxProperties",
            "minProperties",
            "multipleOf");

    private Constraints() {}

    /** {@code " (expected: maximum 100)"}, or {@code ""} when the constraint has no short form. */
    static String describe(Error e) {
        String keyword = e.getKeyword();
        JsonNode s = e.getSchemaNode();
        if (keyword == null || s == null) {
            return "";
        }
        JsonNode v = s.isObject() && s.has(keyword) ? s.get(keyword) : s;
        if (NUMERIC.contains(keyword) && v.isNumber()) {
            return " (expected: " + keyword + " " + v.numberValue() + ")";
        }
        if (keyword.equals("type") && (v.isString() || v.isArray())) {
            return " (expected: " + Texts.safe(v.isString() ? v.asString() : join(v)) + ")";
        }
        if (keyword.equals("enum") && v.isArray() && v.size() <= 10) {
            return " (expected: one of " + Texts.safe(join(v)) + ")";
        }
        if (keyword.equals("format") && v.isString()) {
            return " (expected: format " + Texts.safe(v.asString()) + ")";
        }
        return "";
    }

    private static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        for (JsonNode n : array) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(n.isString() ? n.asString() : n.toString());
        }
        return b.toString();
    }
}
