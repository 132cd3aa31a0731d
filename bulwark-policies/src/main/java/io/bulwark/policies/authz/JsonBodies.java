package io.bulwark.policies.authz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Locale;

/** Bounded JSON parsing of request and response bodies for object rules, and the owner values they hold. */
final class JsonBodies {
    /** Deeper bodies are refused (the rule denies): ids sit near the top, and depth is what attackers grow. */
    static final int MAX_DEPTH = 64;

    static final int MAX_STRING_LENGTH = 1024 * 1024;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 4096;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .build())
                    // {"ownerId":"me","ownerId":"you"}: the gateway and the client must not read different owners.
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Floats as BigDecimal: 1e999 stays a finite value instead of an infinite double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonBodies() {}

    /** The parsed body, or null when it is not one well-formed JSON value within the bounds. */
    static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | RuntimeException e) {
            // Malformed, too deep, duplicate keys, trailing data: the caller fails closed. The message may quote the
            // body, so it is dropped.
            return null;
        }
    }

    /** The canonical string of the scalar at {@code pointer}, or null when absent or not a string, number, boolean. */
    static String owner(JsonNode root, JsonPointer pointer) {
        JsonNode n = root.at(pointer);
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return String.valueOf(n.booleanValue());
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        if (n.isNumber()) {
            return Expr.canonical(n.decimalValue());
        }
        return null;
    }

    /** {@code application/json} or any {@code +json} type, parameters ignored. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi))
                .strip()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }
}
