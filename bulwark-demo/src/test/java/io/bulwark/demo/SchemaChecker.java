package io.bulwark.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a schema of the OpenAPI document, for the keywords that document uses ({@code $ref},
 * {@code type}, {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items},
 * {@code enum}, bounds, {@code pattern}, {@code format: date-time}). Enough to tell that a response matches the
 * contract except for the deliberate flaws, without a JSON Schema library.
 */
final class SchemaChecker {

    private final JsonNode document;

    SchemaChecker(JsonNode document) {
        this.document = document;
    }

    /** The schema at a local reference such as {@code #/components/schemas/User}. */
    JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local references are used: " + ref);
        }
        JsonNode target = document.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException("unresolved reference " + ref);
        }
        return target;
    }

    /** What is wrong with {@code value}, each as {@code "/json/pointer: problem"}; empty when it conforms. */
    List<String> violations(JsonNode schema, JsonNode value) {
        List<String> violations = new ArrayList<>();
        check(schema, value, "", violations);
        return violations;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asText()), value, at, out);
        }
        if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            out.add(at + ": expected " + schema.get("type").asText() + ", got " + value.getNodeType());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            out.add(at + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (schema.has("minimum")
                && value.isNumber()
                && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
            out.add(at + ": below the minimum");
        }
        if (schema.has("maximum")
                && value.isNumber()
                && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
            out.add(at + ": above the maximum");
        }
        if (value.isTextual()) {
            checkString(schema, value.asText(), at, out);
        }
        if (value.isObject()) {
            checkObject(schema, value, at, out);
        }
        if (value.isArray()) {
            checkArray(schema, value, at, out);
        }
    }

    private static void checkString(JsonNode schema, String text, String at, List<String> out) {
        if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
            out.add(at + ": shorter than minLength");
        }
        if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
            out.add(at + ": longer than maxLength");
        }
        if (schema.has("pattern")
                && !Pattern.compile(schema.get("pattern").asText())
                        .matcher(text)
                        .find()) {
            out.add(at + ": does not match " + schema.get("pattern").asText());
        }
        if ("date-time".equals(schema.path("format").asText())) {
            try {
                OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                out.add(at + ": not a date-time");
            }
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String at, List<String> out) {
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                out.add(at + "/" + required.asText() + ": required but missing");
            }
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String fieldAt = at + "/" + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldAt, out);
            } else if (schema.path("additionalProperties").isBoolean()
                    && !schema.get("additionalProperties").asBoolean()) {
                out.add(fieldAt + ": not declared");
            }
        }
    }

    private void checkArray(JsonNode schema, JsonNode value, String at, List<String> out) {
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            out.add(at + ": fewer than minItems");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            out.add(at + ": more than maxItems");
        }
        if (schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "/" + i, out);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
