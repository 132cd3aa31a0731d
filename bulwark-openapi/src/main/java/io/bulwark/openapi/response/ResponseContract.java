package io.bulwark.openapi.response;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.api.Operation;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The responses each operation of an OpenAPI document declares, compiled once at config load: status codes
 * (exact, {@code 2XX}-style ranges, {@code default}), media types per status (exact, {@code type/*},
 * {@code *}{@code /*}; parameters ignored) and, per media type, the {@link Shape} of its schema.
 *
 * <p><b>Strict mode</b> (the default): an object schema that declares {@code properties} but says nothing about
 * {@code additionalProperties} lets no other property through. JSON Schema reads an absent
 * {@code additionalProperties} as "anything allowed", but for a response that reading is exactly how excessive
 * data exposure happens: the API adds a field (a password hash, an internal flag) that no client was promised. An
 * object schema that declares no properties at all ({@code type: object} alone) stays free-form.
 *
 * <p>Thread-safe and immutable once compiled; {@link #lookup} is cheap and allocates little.
 *
 * <pre>{@code
 * ResponseContract contract = ResponseContract.compile(document);          // at config load
 * ResponseCheck check = contract.lookup(operation.id(), status, contentType); // per response
 * if (check.shape().isPresent()) {
 *     FilterResult r = ResponseFilter.filter(check.shape().get(), body, FilterLimits.DEFAULTS);
 * }
 * }</pre>
 */
public final class ResponseContract {
    private final Map<String, Responses> byOperation;
    private final int shapeCount;

    private ResponseContract(Map<String, Responses> byOperation, int shapeCount) {
        this.byOperation = Map.copyOf(byOperation);
        this.shapeCount = shapeCount;
    }

    /** Compiles the document's responses in strict mode. */
    public static ResponseContract compile(OpenApiDocument doc) throws OpenApiException {
        return compile(doc, true);
    }

    /**
     * Compiles the document's responses.
     *
     * @param strict true to treat an absent {@code additionalProperties} on an object schema with declared
     *     properties as {@code false} (see the class comment); false to read it as JSON Schema does ({@code true})
     * @throws OpenApiException when a response, media type or schema cannot be read (a broken {@code $ref}, for
     *     instance), naming its JSON pointer
     */
    public static ResponseContract compile(OpenApiDocument doc, boolean strict) throws OpenApiException {
        requireNonNull(doc, "doc");
        ShapeCompiler compiler = new ShapeCompiler(doc, strict);
        Map<String, Responses> byOperation = new HashMap<>();
        JsonNode paths = doc.root().path("paths");
        for (Operation op : doc.operations()) {
            String pathPointer = "/paths/" + ShapeCompiler.escape(op.pathTemplate());
            JsonNode item = doc.resolve(paths.get(op.pathTemplate()), pathPointer);
            String method = op.method().toLowerCase(Locale.ROOT);
            JsonNode operation = item.get(method);
            byOperation.put(op.id(), responses(doc, compiler, operation.get("responses"), pathPointer + "/" + method));
        }
        return new ResponseContract(byOperation, compiler.shapeCount());
    }

    private static Responses responses(OpenApiDocument doc, ShapeCompiler compiler, JsonNode node, String opPointer)
            throws OpenApiException {
        Responses out = new Responses();
        if (node == null) {
            return out; // 3.1 makes `responses` optional: nothing is declared
        }
        String pointer = opPointer + "/responses";
        if (!node.isObject()) {
            throw new OpenApiException(doc.source() + ": " + pointer + ": expected: a responses object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.startsWith("x-")) {
                continue;
            }
            String rp = pointer + "/" + ShapeCompiler.escape(key);
            MediaTypes media = mediaTypes(doc, compiler, doc.resolve(e.getValue(), rp), rp);
            String upper = key.toUpperCase(Locale.ROOT);
            if (upper.equals("DEFAULT")) {
                out.fallback = new Declared("default", media);
            } else if (upper.length() == 3
                    && upper.endsWith("XX")
                    && upper.charAt(0) >= '1'
                    && upper.charAt(0) <= '5') {
                out.ranges[upper.charAt(0) - '0'] = new Declared(upper, media);
            } else if (key.length() == 3 && key.chars().allMatch(c -> c >= '0' && c <= '9')) {
                out.exact.put(Integer.parseInt(key), new Declared(key, media));
            } else {
                throw new OpenApiException(doc.source() + ": " + rp
                        + ": expected: a status code such as 200, a range such as 2XX, or default");
            }
        }
        return out;
    }

    private static MediaTypes mediaTypes(OpenApiDocument doc, ShapeCompiler compiler, JsonNode response, String rp)
            throws OpenApiException {
        MediaTypes out = new MediaTypes();
        JsonNode content = response == null ? null : response.get("content");
        if (content == null || !content.isObject()) {
            return out; // no body declared
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String mp = rp + "/content/" + ShapeCompiler.escape(e.getKey());
            Shape shape = compiler.compile(e.getValue().get("schema"), mp + "/schema");
            String type = essence(e.getKey());
            if (type.equals("*/*") || type.equals("*")) {
                out.any = shape;
            } else if (type.endsWith("/*")) {
                out.byMainType.put(type.substring(0, type.length() - 2), shape);
            } else {
                out.exact.put(type, shape);
            }
        }
        return out;
    }

    /**
     * What the operation declares for this response.
     *
     * @param operationId the id of an operation of the compiled document ({@link Operation#id()})
     * @param status the response status
     * @param contentType the response's {@code Content-Type} header, parameters allowed; null when the response
     *     has no body, which is then declared whatever the status declares
     * @throws IllegalArgumentException when the document has no such operation
     */
    public ResponseCheck lookup(String operationId, int status, String contentType) {
        requireNonNull(operationId, "operationId");
        Responses responses = byOperation.get(operationId);
        if (responses == null) {
            throw new IllegalArgumentException(
                    "operationId: '" + operationId + "' (expected: an operation of the document)");
        }
        Declared declared = responses.exact.get(status);
        if (declared == null && status >= 100 && status <= 599) {
            declared = responses.ranges[status / 100];
        }
        if (declared == null) {
            declared = responses.fallback;
        }
        if (declared == null) {
            return ResponseCheck.UNDECLARED_STATUS;
        }
        if (contentType == null || contentType.isBlank()) {
            return new ResponseCheck(ResponseCheck.Verdict.DECLARED, null, declared.key());
        }
        String type = essence(contentType);
        MediaTypes media = declared.media();
        Shape shape = media.exact.get(type);
        if (shape == null) {
            int slash = type.indexOf('/');
            shape = slash < 0 ? null : media.byMainType.get(type.substring(0, slash));
        }
        if (shape == null) {
            shape = media.any;
        }
        if (shape == null) {
            return new ResponseCheck(ResponseCheck.Verdict.UNDECLARED_CONTENT_TYPE, null, declared.key());
        }
        return new ResponseCheck(ResponseCheck.Verdict.DECLARED, isJson(type) ? shape : null, declared.key());
    }

    /** The number of distinct shapes compiled, for load-time diagnostics. */
    public int shapeCount() {
        return shapeCount;
    }

    /** The media type without parameters, trimmed and lower-cased: {@code application/json}. */
    static String essence(String contentType) {
        int semi = contentType.indexOf(';');
        String type = semi < 0 ? contentType : contentType.substring(0, semi);
        return type.strip().toLowerCase(Locale.ROOT);
    }

    static boolean isJson(String essence) {
        return essence.equals("application/json") || essence.equals("text/json") || essence.endsWith("+json");
    }

    private record Declared(String key, MediaTypes media) {}

    private static final class MediaTypes {
        final Map<String, Shape> exact = new HashMap<>();
        final Map<String, Shape> byMainType = new HashMap<>();
        Shape any;
    }

    private static final class Responses {
        final Map<Integer, Declared> exact = new HashMap<>();
        final Declared[] ranges = new Declared[6];
        Declared fallback;
    }
}
