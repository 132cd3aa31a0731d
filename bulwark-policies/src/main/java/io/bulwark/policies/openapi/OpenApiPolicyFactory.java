package io.bulwark.policies.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.bulwark.api.Operation;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.api.config.Suggestions;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.OperationMatcher;
import io.bulwark.openapi.response.FilterLimits;
import io.bulwark.openapi.response.ResponseContract;
import io.bulwark.policies.openapi.OpenApiConfig.Limits;
import io.bulwark.policies.openapi.OperationRules.Media;
import io.bulwark.policies.openapi.Parameter.In;
import io.bulwark.policies.openapi.Parameter.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code openapi}: the positive security model of a route's OpenAPI document. Parameters and JSON bodies are
 * compiled per operation at load; a request costs a map lookup, the parameter checks and, for bodies, one bounded
 * parse and one schema evaluation. The responses are compiled at load too ({@code responses:} block, all optional):
 * a response costs one lookup and, for a declared JSON body, one streaming filter pass.
 */
public final class OpenApiPolicyFactory implements PolicyFactory {
    private static final int MAX_LIMIT = 1_000_000;

    @Override
    public String name() {
        return "openapi";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        boolean monitor =
                f.choice("mode", List.of("enforce", "monitor"), "enforce").equals("monitor");
        Optional<ConfigNode> operationsNode = f.optional("operations");
        boolean deny =
                f.choice("unknown_properties", List.of("deny", "allow"), "deny").equals("deny");
        Optional<ConfigNode> limitsNode = f.optional("limits");
        Optional<ConfigNode> responsesNode = f.optional("responses");
        f.finish();

        boolean strict = true;
        boolean replaceStatus = false;
        boolean replaceContentType = false;
        long maxResponseBytes = FilterLimits.DEFAULTS.maxBytes();
        if (responsesNode.isPresent()) {
            ConfigNode.Fields rf = responsesNode.get().fields();
            strict = rf.bool("strict", true);
            replaceStatus = rf.choice("undeclared_status", List.of("log", "replace"), "log")
                    .equals("replace");
            replaceContentType = rf.choice("undeclared_content_type", List.of("log", "replace"), "log")
                    .equals("replace");
            maxResponseBytes = rf.bytes("max_response_bytes", 1, 64L * 1024 * 1024, maxResponseBytes);
            rf.finish();
        }

        Optional<OpenApiDocument> doc = context.resource(OpenApiDocument.class);
        Optional<OperationMatcher> matcher = context.resource(OperationMatcher.class);
        if (doc.isEmpty() || matcher.isEmpty()) {
            throw config.error(
                    "a route without an OpenAPI document",
                    "the openapi policy needs the route's openapi document: add 'openapi: FILE' to the route");
        }

        Map<String, Boolean> modes = new LinkedHashMap<>();
        if (operationsNode.isPresent()) {
            List<String> ids =
                    doc.get().operations().stream().map(Operation::id).toList();
            for (Map.Entry<String, ConfigNode> e : operationsNode.get().asMap().entrySet()) {
                if (!ids.contains(e.getKey())) {
                    List<String> near = Suggestions.near(e.getKey(), ids, 3);
                    throw e.getValue()
                            .error(
                                    "unknown operation '" + e.getKey() + "'",
                                    "an operationId of the route's OpenAPI document"
                                            + (near.isEmpty()
                                                    ? ""
                                                    : "; did you mean '" + String.join("', '", near) + "'?"));
                }
                ConfigNode.Fields of = e.getValue().fields();
                String mode = of.choice("mode", List.of("enforce", "monitor"), monitor ? "monitor" : "enforce");
                of.finish();
                modes.put(e.getKey(), mode.equals("monitor"));
            }
        }

        Limits limits = Limits.DEFAULT;
        if (limitsNode.isPresent()) {
            ConfigNode.Fields lf = limitsNode.get().fields();
            limits = new Limits(
                    lf.integer("max_json_depth", 1, 1000, Limits.DEFAULT.maxDepth()),
                    lf.integer("max_array_items", 1, MAX_LIMIT, Limits.DEFAULT.maxArrayItems()),
                    lf.integer("max_string_length", 1, 100 * MAX_LIMIT, Limits.DEFAULT.maxStringLength()),
                    lf.integer("max_properties", 1, MAX_LIMIT, Limits.DEFAULT.maxProperties()));
            lf.finish();
        }
        OpenApiConfig settings = new OpenApiConfig(monitor, modes, deny, limits);
        Map<String, OperationRules> rules;
        try {
            rules = compile(doc.get(), settings);
        } catch (OpenApiException | IllegalArgumentException e) {
            throw config.error(
                    "an OpenAPI document whose parameters and schemas do not compile",
                    "a document the openapi policy can compile (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            // The validator reports unresolvable references and malformed schemas with its own exceptions.
            throw config.error(
                    "an OpenAPI document whose schemas do not compile",
                    "valid JSON schemas in " + doc.get().source() + " ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        ResponseContract contract;
        try {
            contract = ResponseContract.compile(doc.get(), strict);
        } catch (OpenApiException | RuntimeException e) {
            throw config.error(
                    "an OpenAPI document whose responses do not compile",
                    "responses the openapi policy can compile (" + e.getMessage() + ")");
        }
        ResponseSettings responses = new ResponseSettings(
                contract,
                replaceStatus,
                replaceContentType,
                new FilterLimits((int) maxResponseBytes, ResponseSettings.MAX_DEPTH));
        return new OpenApiPolicy(settings, rules, matcher.get(), responses);
    }

    // ---- compilation

    static Map<String, OperationRules> compile(OpenApiDocument doc, OpenApiConfig config) throws OpenApiException {
        SchemaSet schemas = new SchemaSet(doc.root(), doc.version(), config.denyUnknownProperties());
        Map<String, List<ParameterDraft>> params = new LinkedHashMap<>();
        Map<String, BodyDraft> bodies = new LinkedHashMap<>();
        JsonNode paths = doc.root().path("paths");
        for (Operation op : doc.operations()) {
            String pathPointer = "/paths/" + escape(op.pathTemplate());
            JsonNode item = doc.resolve(paths.get(op.pathTemplate()), pathPointer);
            String method = op.method().toLowerCase(Locale.ROOT);
            JsonNode opNode = item.get(method);
            String opPointer = pathPointer + "/" + method;
            params.put(op.id(), parameters(doc, schemas, item, opNode, pathPointer, opPointer));
            bodies.put(op.id(), body(doc, schemas, opNode, opPointer));
        }
        Map<String, Schema> compiled = schemas.compile();
        Map<String, OperationRules> out = new LinkedHashMap<>();
        for (Operation op : doc.operations()) {
            List<Parameter> ps = new ArrayList<>();
            for (ParameterDraft d : params.get(op.id())) {
                ps.add(d.build(d.schemaId == null ? null : compiled.get(d.schemaId)));
            }
            BodyDraft b = bodies.get(op.id());
            List<Media> media = new ArrayList<>();
            for (Map.Entry<String, String> m : b.media.entrySet()) {
                media.add(new Media(m.getKey(), m.getValue() == null ? null : compiled.get(m.getValue())));
            }
            media.sort(Comparator.comparingInt(OpenApiPolicyFactory::specificity));
            out.put(op.id(), new OperationRules(op.id(), config.monitors(op.id()), ps, b.declared, b.required, media));
        }
        return out;
    }

    private static int specificity(Media m) {
        return m.range().equals("*/*") ? 2 : m.range().endsWith("/*") ? 1 : 0;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A parameter read from the spec, its schema not compiled yet. */
    private record ParameterDraft(
            String name,
            In in,
            boolean required,
            Type shape,
            Type itemType,
            char delimiter,
            boolean exploded,
            String schemaId) {
        Parameter build(Schema schema) {
            return new Parameter(name, in, required, shape, itemType, delimiter, exploded, schema);
        }
    }

    private static List<ParameterDraft> parameters(
            OpenApiDocument doc, SchemaSet schemas, JsonNode item, JsonNode op, String itemPointer, String opPointer)
            throws OpenApiException {
        Map<String, ParameterDraft> byKey = new LinkedHashMap<>();
        // Path-item parameters first; the operation's replace them by name and location.
        for (int pass = 0; pass < 2; pass++) {
            JsonNode list = (pass == 0 ? item : op).get("parameters");
            String pointer = (pass == 0 ? itemPointer : opPointer) + "/parameters";
            if (list == null) {
                continue;
            }
            if (!list.isArray()) {
                throw new OpenApiException(doc.source() + ": " + pointer + ": expected a list of parameters");
            }
            for (int i = 0; i < list.size(); i++) {
                String at = pointer + "/" + i;
                JsonNode p = doc.resolve(list.get(i), at);
                ParameterDraft d = parameter(doc, schemas, p, at);
                if (d != null) {
                    byKey.put(d.in + ":" + (d.in == In.HEADER ? d.name.toLowerCase(Locale.ROOT) : d.name), d);
                }
            }
        }
        return List.copyOf(byKey.values());
    }

    private static ParameterDraft parameter(OpenApiDocument doc, SchemaSet schemas, JsonNode p, String at)
            throws OpenApiException {
        String name = p.path("name").asText("");
        String inText = p.path("in").asText("");
        if (name.isEmpty()) {
            throw new OpenApiException(doc.source() + ": " + at + ": a parameter needs a name");
        }
        In in;
        switch (inText) {
            case "path" -> in = In.PATH;
            case "query" -> in = In.QUERY;
            case "header" -> in = In.HEADER;
            case "cookie" -> in = In.COOKIE;
            default ->
                throw new OpenApiException(doc.source() + ": " + at + "/in: expected path, query, header or cookie");
        }
        if (in == In.HEADER
                && List.of("accept", "content-type", "authorization").contains(name.toLowerCase(Locale.ROOT))) {
            return null; // OpenAPI: these header parameters are ignored (the body and security rules cover them)
        }
        boolean required = in == In.PATH || p.path("required").asBoolean(false);
        String defaultStyle = in == In.QUERY || in == In.COOKIE ? "form" : "simple";
        String style = p.path("style").asText(defaultStyle);
        boolean exploded = p.path("explode").asBoolean(style.equals("form"));
        JsonNode schemaNode = p.get("schema");
        if (schemaNode == null) {
            // A 'content'-described parameter (JSON in a query string): presence only.
            return new ParameterDraft(name, in, required, Type.OTHER, Type.OTHER, ',', exploded, null);
        }
        JsonNode resolved = doc.resolve(schemaNode, at + "/schema");
        Type shape = typeOf(doc, resolved, at + "/schema");
        Type itemType = Type.OTHER;
        char delimiter = ',';
        if (shape == Type.ARRAY) {
            JsonNode items = resolved.get("items");
            itemType = items == null ? Type.STRING : typeOf(doc, doc.resolve(items, at + "/schema/items"), at);
            if (itemType == Type.ARRAY || itemType == Type.OTHER) {
                shape = Type.OTHER;
            }
            switch (style) {
                case "form", "simple" -> delimiter = ',';
                case "spaceDelimited" -> delimiter = ' ';
                case "pipeDelimited" -> delimiter = '|';
                default -> shape = Type.OTHER;
            }
        } else if (!style.equals("form") && !style.equals("simple")) {
            shape = Type.OTHER; // label, matrix, deepObject: presence only
        }
        String schemaId = shape == Type.OTHER ? null : schemas.add("p", schemaNode);
        return new ParameterDraft(name, in, required, shape, itemType, delimiter, exploded, schemaId);
    }

    /** The JSON type a parameter's text is read as; the first non-null type of a 3.1 type list. */
    private static Type typeOf(OpenApiDocument doc, JsonNode schema, String at) {
        JsonNode t = schema.get("type");
        String type = null;
        if (t != null && t.isTextual()) {
            type = t.asText();
        } else if (t != null && t.isArray()) {
            for (JsonNode e : t) {
                if (e.isTextual() && !e.asText().equals("null")) {
                    type = e.asText();
                    break;
                }
            }
        }
        if (type == null) {
            // No type: an enum of strings or a free value is read as a string.
            return schema.has("properties") || schema.has("allOf") || schema.has("oneOf") || schema.has("anyOf")
                    ? Type.OTHER
                    : Type.STRING;
        }
        return switch (type) {
            case "string" -> Type.STRING;
            case "integer" -> Type.INTEGER;
            case "number" -> Type.NUMBER;
            case "boolean" -> Type.BOOLEAN;
            case "array" -> Type.ARRAY;
            default -> Type.OTHER;
        };
    }

    /** A request body read from the spec. */
    private record BodyDraft(boolean declared, boolean required, Map<String, String> media) {}

    private static BodyDraft body(OpenApiDocument doc, SchemaSet schemas, JsonNode op, String opPointer)
            throws OpenApiException {
        JsonNode rb = op.get("requestBody");
        if (rb == null) {
            return new BodyDraft(false, false, Map.of());
        }
        JsonNode body = doc.resolve(rb, opPointer + "/requestBody");
        boolean required = body.path("required").asBoolean(false);
        Map<String, String> media = new LinkedHashMap<>();
        JsonNode content = body.path("content");
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String range = OperationRules.mediaType(e.getKey());
            if (range == null) {
                throw new OpenApiException(doc.source() + ": " + opPointer + "/requestBody/content: '" + e.getKey()
                        + "' is not a media type");
            }
            JsonNode schema = e.getValue().get("schema");
            boolean json = OperationRules.isJson(range) || range.equals("*/*") || range.equals("application/*");
            media.put(range, json && schema != null ? schemas.add("b", schema) : null);
        }
        return new BodyDraft(true, required, media);
    }
}
