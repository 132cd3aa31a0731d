package io.bulwark.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.bulwark.api.Operation;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * An OpenAPI 3.0 or 3.1 document, read once at config load: its operations (with effective security, tags and
 * {@code x-} extensions) and the base path of its first server. Only local references ({@code #/...}) are
 * resolved; the document is the contract, and a contract that pulls files from elsewhere at load is refused.
 */
public final class OpenApiDocument {
    /** A spec larger than this is almost certainly not a spec; refuse it before parsing. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final int MAX_REF_HOPS = 32;
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final String source;
    private final JsonNode root;
    private final String version;
    private final String basePath;
    private final List<Operation> operations;

    private OpenApiDocument(String source, JsonNode root) throws OpenApiException {
        this.source = source;
        this.root = root;
        JsonNode v = root.get("openapi");
        if (v == null
                || !v.isTextual()
                || !(v.asText().startsWith("3.0") || v.asText().startsWith("3.1"))) {
            throw error("/openapi", "expected: \"3.0.x\" or \"3.1.x\"" + (v == null ? "" : ", found: " + v));
        }
        this.version = v.asText();
        this.basePath = basePathOf(root.path("servers"));
        this.operations = List.copyOf(readOperations());
    }

    /** Reads a YAML or JSON document. */
    public static OpenApiDocument load(Path file) throws OpenApiException {
        requireNonNull(file, "file");
        String name = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new OpenApiException(name + ": " + size + " bytes (expected: <= " + MAX_FILE_BYTES + ")");
            }
            return parse(name, Files.readString(file));
        } catch (IOException e) {
            throw new OpenApiException(
                    name + ": cannot read the file (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Parses a YAML or JSON document held in memory; {@code source} names it in error messages. */
    public static OpenApiDocument parse(String source, String text) throws OpenApiException {
        requireNonNull(source, "source");
        requireNonNull(text, "text");
        JsonNode root;
        ObjectMapper mapper = mapper();
        try {
            refuseAliases(source, mapper, text);
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new OpenApiException(source + where + ": not a valid YAML or JSON document", e);
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some of its limits (nesting, code points) as runtime exceptions.
            throw new OpenApiException(
                    source + ": not a valid YAML or JSON document ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new OpenApiException(source + ": expected an OpenAPI object at the top level");
        }
        return new OpenApiDocument(source, root);
    }

    /**
     * Jackson's streaming YAML parser hands an alias back as its anchor's name instead of the anchored value: a
     * document using them would be silently misread, so it is refused.
     */
    private static void refuseAliases(String source, ObjectMapper mapper, String text)
            throws IOException, OpenApiException {
        try (JsonParser parser = mapper.createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yaml && (yaml.isCurrentAlias() || yaml.getObjectId() != null)) {
                    var loc = parser.currentLocation();
                    throw new OpenApiException(source + ":" + loc.getLineNr() + ":" + loc.getColumnNr()
                            + ": YAML anchors and aliases are not supported (expected: plain values)");
                }
            }
        }
    }

    private static ObjectMapper mapper() {
        LoaderOptions options = new LoaderOptions();
        // Alias expansion is how a few kilobytes of YAML become gigabytes in memory.
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(200);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        YAMLFactory yaml = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(200).build())
                .build();
        return new ObjectMapper(yaml);
    }

    /** The file (or name) the document was read from. */
    public String source() {
        return source;
    }

    /** The {@code openapi} version string, such as {@code 3.1.0}. */
    public String version() {
        return version;
    }

    /** The whole document, for modules that compile schemas from it. */
    public JsonNode root() {
        return root;
    }

    /**
     * The path of the first server URL without a trailing slash ({@code ""} for none or {@code /}); the operation
     * templates are relative to it.
     */
    public String basePath() {
        return basePath;
    }

    /** Every operation, in document order. */
    public List<Operation> operations() {
        return operations;
    }

    /** Compiles the operations into a matcher for request paths below {@code basePath}. */
    public OperationMatcher matcher(String basePath) {
        return new OperationMatcher(basePath, operations);
    }

    /** Follows a local {@code $ref} chain; returns the node itself when it is not a reference. */
    public JsonNode resolve(JsonNode node, String pointer) throws OpenApiException {
        JsonNode current = node;
        String at = pointer;
        for (int hops = 0; current != null && current.has("$ref"); hops++) {
            if (hops == MAX_REF_HOPS) {
                throw error(pointer, "a $ref chain longer than " + MAX_REF_HOPS + " (a cycle?)");
            }
            JsonNode ref = current.get("$ref");
            if (!ref.isTextual() || !ref.asText().startsWith("#/")) {
                throw error(at + "/$ref", "expected: a local reference '#/...', found: " + ref);
            }
            at = ref.asText().substring(1);
            current = root.at(unescapeUriFragment(at));
            if (current.isMissingNode()) {
                throw error(pointer + "/$ref", "the reference '" + ref.asText() + "' points at nothing");
            }
        }
        return current;
    }

    private static String unescapeUriFragment(String pointer) {
        return pointer.indexOf('%') < 0
                ? pointer
                : java.net.URLDecoder.decode(pointer.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private OpenApiException error(String pointer, String message) {
        return new OpenApiException(source + ": " + pointer + ": " + message);
    }

    // ---- operations

    private List<Operation> readOperations() throws OpenApiException {
        JsonNode paths = root.get("paths");
        List<Operation> out = new ArrayList<>();
        if (paths == null) {
            return out; // 3.1 allows webhooks-only documents
        }
        if (!paths.isObject()) {
            throw error("/paths", "expected: an object");
        }
        List<Set<String>> rootSecurity = security(root.get("security"), "/security");
        Set<String> seenIds = new LinkedHashSet<>();
        Map<String, String> seenShapes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String template = e.getKey();
            String pathPointer = "/paths/" + template.replace("~", "~0").replace("/", "~1");
            if (!template.startsWith("/")) {
                throw error(pathPointer, "a path template must start with '/'");
            }
            PathTemplate.parse(template).orElseThrow(() -> error(pathPointer, "not a valid path template"));
            String shape = PathTemplate.shape(template);
            String clash = seenShapes.putIfAbsent(shape, template);
            if (clash != null) {
                throw error(pathPointer, "same shape as '" + clash + "' (templated paths must differ)");
            }
            JsonNode item = resolve(e.getValue(), pathPointer);
            if (!item.isObject()) {
                throw error(pathPointer, "expected: a path item object");
            }
            for (String method : METHODS) {
                JsonNode op = item.get(method);
                if (op == null) {
                    continue;
                }
                String opPointer = pathPointer + "/" + method;
                if (!op.isObject()) {
                    throw error(opPointer, "expected: an operation object");
                }
                out.add(operation(template, method.toUpperCase(Locale.ROOT), op, opPointer, rootSecurity, seenIds));
            }
        }
        return out;
    }

    private Operation operation(
            String template,
            String method,
            JsonNode op,
            String pointer,
            List<Set<String>> rootSecurity,
            Set<String> seenIds)
            throws OpenApiException {
        JsonNode idNode = op.get("operationId");
        String id;
        if (idNode == null) {
            id = method + " " + template;
        } else if (idNode.isTextual() && !idNode.asText().isBlank()) {
            id = idNode.asText();
        } else {
            throw error(pointer + "/operationId", "expected: a non-empty string");
        }
        if (!seenIds.add(id)) {
            throw error(pointer + "/operationId", "'" + id + "' is used by two operations");
        }
        Set<String> tags = new LinkedHashSet<>();
        JsonNode tagNode = op.get("tags");
        if (tagNode != null) {
            if (!tagNode.isArray()) {
                throw error(pointer + "/tags", "expected: a list of strings");
            }
            for (JsonNode t : tagNode) {
                if (!t.isTextual()) {
                    throw error(pointer + "/tags", "expected: a list of strings");
                }
                tags.add(t.asText());
            }
        }
        JsonNode sec = op.get("security");
        List<Set<String>> alternatives = sec == null ? rootSecurity : security(sec, pointer + "/security");
        boolean isPublic = sec != null && sec.isArray() && sec.isEmpty();
        if (!isPublic && sec != null) {
            // `security: [{}]` also makes authentication optional.
            isPublic = alternatives.stream().anyMatch(Set::isEmpty) && hasEmptyRequirement(sec);
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = op.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith("x-")) {
                Object value = Json.toJava(f.getValue());
                if (value != null) {
                    extensions.put(f.getKey(), value);
                }
            }
        }
        boolean deprecated = op.path("deprecated").asBoolean(false);
        return new Operation(id, method, template, tags, alternatives, isPublic, deprecated, extensions);
    }

    private static boolean hasEmptyRequirement(JsonNode sec) {
        for (JsonNode req : sec) {
            if (req.isObject() && req.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Each requirement object becomes the union of the scopes of its schemes. */
    private List<Set<String>> security(JsonNode node, String pointer) throws OpenApiException {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error(pointer, "expected: a list of security requirement objects");
        }
        List<Set<String>> out = new ArrayList<>();
        for (JsonNode req : node) {
            if (!req.isObject()) {
                throw error(pointer, "expected: a list of security requirement objects");
            }
            Set<String> scopes = new LinkedHashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = req.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> scheme = it.next();
                if (!scheme.getValue().isArray()) {
                    throw error(pointer + "/" + scheme.getKey(), "expected: a list of scopes");
                }
                for (JsonNode s : scheme.getValue()) {
                    if (!s.isTextual()) {
                        throw error(pointer + "/" + scheme.getKey(), "expected: a list of scope strings");
                    }
                    scopes.add(s.asText());
                }
            }
            out.add(scopes);
        }
        return out;
    }

    static String basePathOf(JsonNode servers) {
        if (!servers.isArray() || servers.isEmpty()) {
            return "";
        }
        String url = servers.get(0).path("url").asText("");
        // Server variables ({port}) are not resolvable here; only the path matters, and it rarely holds one.
        String path;
        try {
            URI u = new URI(url.replace("{", "%7B").replace("}", "%7D"));
            path = u.getRawPath() == null ? "" : u.getRawPath();
        } catch (URISyntaxException e) {
            path = "";
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }
}
