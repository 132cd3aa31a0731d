package io.bulwark.policies.openapi;

import io.bulwark.policies.openapi.OpenApiConfig.Limits;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounded parsing of JSON request bodies into the validator's (Jackson 3) trees. Depth and string lengths are
 * enforced by the parser while it reads, so 10,000 nested brackets or a megabyte string cost almost nothing; array
 * and object sizes are counted on the tree, which the gateway's inspection limit already bounds.
 */
final class JsonBodies {
    /** The outcome of a parse: a tree, or the violation that stopped it. */
    record Parsed(JsonNode tree, Violation violation) {}

    private final ObjectMapper mapper;
    private final Limits limits;

    JsonBodies(Limits limits) {
        this.limits = limits;
        this.mapper = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(limits.maxDepth())
                                .maxStringLength(limits.maxStringLength())
                                .maxNameLength(limits.maxStringLength())
                                .maxNumberLength(1000)
                                .build())
                        // {"role":"customer","role":"admin"}: the gateway and the API must not read different values.
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Floats as BigDecimal: 1e999 stays finite and comparable against minimum/maximum.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    Parsed parse(byte[] bytes) {
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (StreamConstraintsException e) {
            // The message names the limit, never the content; still, say it in our own words.
            return new Parsed(null, new Violation(OpenApiErrors.OAS_BODY_LIMIT, limitText(e)));
        } catch (JacksonException e) {
            // Malformed, duplicate key, trailing data: the message may quote the body, so it is dropped.
            String what = e.getMessage() != null && e.getMessage().startsWith("Duplicate")
                    ? "a key appears twice in one object"
                    : "not one well-formed JSON value";
            return new Parsed(null, new Violation(OpenApiErrors.OAS_BODY_MALFORMED, "request body: " + what));
        }
        if (tree == null || tree.isMissingNode()) {
            return new Parsed(null, new Violation(OpenApiErrors.OAS_BODY_MALFORMED, "request body: empty"));
        }
        Violation v = sizes(tree, "");
        return new Parsed(v == null ? tree : null, v);
    }

    private String limitText(StreamConstraintsException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("nesting depth") || m.contains("Nesting depth")) {
            return "request body: nested deeper than " + limits.maxDepth() + " levels";
        }
        if (m.contains("String value length") || m.contains("Name length") || m.contains("name length")) {
            return "request body: a string longer than " + limits.maxStringLength() + " characters";
        }
        if (m.contains("Number value length")) {
            return "request body: a number with more than 1000 digits";
        }
        return "request body: exceeds a structural limit";
    }

    /** The first array or object over its limit, depth first; null when all are within bounds. */
    private Violation sizes(JsonNode node, String pointer) {
        if (node.isArray()) {
            if (node.size() > limits.maxArrayItems()) {
                return new Violation(
                        OpenApiErrors.OAS_BODY_LIMIT,
                        "request body: " + show(pointer) + ": more than " + limits.maxArrayItems() + " items");
            }
            int i = 0;
            for (JsonNode child : node) {
                Violation v = sizes(child, pointer + "/" + i++);
                if (v != null) {
                    return v;
                }
            }
        } else if (node.isObject()) {
            if (node.size() > limits.maxProperties()) {
                return new Violation(
                        OpenApiErrors.OAS_BODY_LIMIT,
                        "request body: " + show(pointer) + ": more than " + limits.maxProperties() + " properties");
            }
            for (var e : node.properties()) {
                Violation v = sizes(
                        e.getValue(),
                        pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"));
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    static String show(String pointer) {
        return pointer.isEmpty() ? "/" : Texts.safe(pointer);
    }
}
