package io.bulwark.policies.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the JSON Schemas of one OpenAPI document for the networknt validator, once per config load.
 *
 * <p>The validator gets the whole document as one schema resource (converted from Jackson 2, which parsed the spec,
 * to the text that its Jackson 3 reads), so every {@code $ref} into {@code #/components} resolves as written. The
 * schemas to validate against are copied under {@code /x-bulwark-schemas/<id>} of that resource: simple pointers,
 * whatever characters the path templates and media types hold. OpenAPI 3.0 documents use the validator's OpenAPI
 * 3.0 dialect ({@code nullable}, boolean {@code exclusiveMaximum}); 3.1 documents its OpenAPI 3.1 dialect (2020-12).
 *
 * <p>With {@code unknown_properties: deny}, object schemas that declare {@code properties} and say nothing about
 * additional ones are closed before compiling: 3.1 gets {@code unevaluatedProperties: false}, which sees through
 * {@code allOf}/{@code oneOf}/{@code anyOf}; 3.0 has no such keyword and gets {@code additionalProperties: false},
 * except on schemas used inside a composition (closing those would refuse their siblings' properties), which stay
 * open.
 */
final class SchemaSet {
    static final String BASE = "https://bulwark.invalid/openapi.json";
    private static final String HOLDER = "x-bulwark-schemas";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMPOSITIONS = List.of("allOf", "anyOf", "oneOf");

    private final JsonNode root;
    private final boolean openApi31;
    private final boolean closeObjects;
    private final ObjectNode holder;
    private final List<String> ids = new ArrayList<>();

    SchemaSet(JsonNode documentRoot, String version, boolean closeObjects) {
        this.root = documentRoot.deepCopy();
        this.openApi31 = version.startsWith("3.1");
        this.closeObjects = closeObjects;
        this.holder = ((ObjectNode) root).putObject(HOLDER);
    }

    /** Registers a schema (as written: {@code $ref}s stay relative to the document) and returns its id. */
    String add(String prefix, JsonNode schema) {
        String id = prefix + ids.size();
        holder.set(id, schema.deepCopy());
        ids.add(id);
        return id;
    }

    /**
     * Compiles every registered schema.
     *
     * @throws IllegalArgumentException when a schema cannot be compiled (its message names the cause)
     */
    Map<String, Schema> compile() {
        if (closeObjects) {
            close();
        }
        String text;
        try {
            text = JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the document cannot be written as JSON", e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .regularExpressionFactory(Re2RegularExpressionFactory.INSTANCE)
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        Dialect dialect = openApi31 ? Dialects.getOpenApi31() : Dialects.getOpenApi30();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                dialect, b -> b.schemas(Map.of(BASE, text)).schemaRegistryConfig(config));
        Map<String, Schema> out = new LinkedHashMap<>();
        for (String id : ids) {
            Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#/" + HOLDER + "/" + id));
            // Compile the whole tree now (patterns included), not on the first request.
            schema.initializeValidators();
            out.put(id, schema);
        }
        return out;
    }

    // ---- closing object schemas (the mass-assignment guard)

    private void close() {
        List<JsonNode> roots = new ArrayList<>();
        JsonNode components = root.path("components").path("schemas");
        if (components.isObject()) {
            components.forEach(roots::add);
        }
        holder.forEach(roots::add);
        Set<String> members = new HashSet<>();
        for (JsonNode r : roots) {
            walk(r, false, members, false);
        }
        if (components.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), members.contains("#/components/schemas/" + e.getKey()), members, true);
            }
        }
        for (JsonNode r : holder) {
            walk(r, false, members, true);
        }
    }

    /**
     * Visits a schema and its subschemas. The first pass ({@code mark} false) collects the component schemas that
     * are used as members of a composition; the second closes the schemas that may be closed.
     */
    private void walk(JsonNode schema, boolean member, Set<String> members, boolean mark) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        if (mark && !member) {
            closeOne(node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas" -> {
                    if (v.isObject()) {
                        v.forEach(s -> walk(s, false, members, mark));
                    }
                }
                case "allOf", "anyOf", "oneOf" -> {
                    if (v.isArray()) {
                        for (JsonNode s : v) {
                            JsonNode ref = s.get("$ref");
                            if (ref != null && ref.isTextual()) {
                                members.add(ref.asText());
                            }
                            walk(s, true, members, mark);
                        }
                    }
                }
                case "items", "prefixItems" -> {
                    if (v.isArray()) {
                        v.forEach(s -> walk(s, false, members, mark));
                    } else {
                        walk(v, false, members, mark);
                    }
                }
                case "additionalProperties",
                        "unevaluatedProperties",
                        "not",
                        "if",
                        "then",
                        "else",
                        "contains",
                        "propertyNames",
                        "unevaluatedItems",
                        "additionalItems" -> walk(v, false, members, mark);
                default -> {}
            }
        }
    }

    private void closeOne(ObjectNode node) {
        if (node.has("additionalProperties") || node.has("unevaluatedProperties") || node.has("$ref") && !openApi31) {
            return;
        }
        boolean declares = node.path("properties").isObject();
        boolean composes = false;
        for (String c : COMPOSITIONS) {
            composes |= node.path(c).isArray();
        }
        if (openApi31 && (declares || composes)) {
            node.put("unevaluatedProperties", false);
        } else if (!openApi31 && declares && !composes) {
            node.put("additionalProperties", false);
        }
    }
}
