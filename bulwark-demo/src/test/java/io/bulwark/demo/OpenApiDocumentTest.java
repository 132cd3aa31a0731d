package io.bulwark.demo;

import static io.bulwark.demo.RunningShop.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bulwark.demo.ShopClient.Response;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The OpenAPI document: well-formed, describing the intended contract, and matching what the API serves. */
class OpenApiDocumentTest {

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Set<String> SCOPES =
            Set.of("users:read", "users:write", "orders:read", "orders:write", "admin");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final String PASSWORD_HASH_LEAK = "/passwordHash: not declared";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode spec;
    private static SchemaChecker schemas;
    private static Vertx vertx;
    private RunningShop shop;

    @BeforeAll
    static void parse_document_and_start_vertx() throws IOException {
        spec = new ObjectMapper(new YAMLFactory()).readTree(AcmeShopApi.openApiYaml());
        schemas = new SchemaChecker(spec);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close_vertx() {
        await(vertx.close());
    }

    @BeforeEach
    void start_api() {
        shop = RunningShop.start(vertx);
    }

    @AfterEach
    void stop_api() {
        shop.close();
    }

    @Test
    void is_an_openapi_3_1_document() {
        assertThat(spec.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(spec.path("info").path("title").asText()).isEqualTo("Acme Shop API");
        assertThat(spec.path("info").path("version").asText()).isEqualTo("2.0.0");
        assertThat(spec.path("servers").get(0).path("url").asText()).isEqualTo("http://127.0.0.1:8090");
        assertThat(spec.path("paths").size()).isPositive();
    }

    @Test
    void requires_a_bearer_jwt_by_default() {
        JsonNode bearer = spec.path("components").path("securitySchemes").path("bearerAuth");

        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(spec.path("security").get(0).has("bearerAuth")).isTrue();
    }

    @Test
    void names_the_scopes_of_every_protected_operation() {
        for (Operation operation : operations()) {
            JsonNode security = operation.node().path("security");
            if (operation.path().startsWith("/api/")) {
                assertThat(security.get(0).path("bearerAuth").size())
                        .as(operation.toString())
                        .isOne();
                assertThat(security.get(0).path("bearerAuth").get(0).asText())
                        .as(operation.toString())
                        .isIn(SCOPES);
            } else {
                assertThat(security.isArray() && security.isEmpty())
                        .as(operation + " is public")
                        .isTrue();
            }
        }
    }

    @Test
    void gives_every_operation_a_unique_id_and_a_declared_tag() {
        Set<String> tags = new HashSet<>();
        spec.path("tags").forEach(tag -> tags.add(tag.path("name").asText()));
        Set<String> ids = new HashSet<>();

        for (Operation operation : operations()) {
            assertThat(ids.add(operation.node().path("operationId").asText()))
                    .as(operation.toString())
                    .isTrue();
            assertThat(operation.node().path("tags").get(0).asText())
                    .as(operation.toString())
                    .isIn(tags);
        }
        assertThat(tags).contains("users", "orders", "admin");
    }

    @Test
    void resolves_every_reference() {
        List<String> refs = new ArrayList<>();
        collectRefs(spec, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(schemas.resolve(ref)).as(ref).isNotNull();
        }
    }

    @Test
    void declares_every_path_parameter() {
        for (Operation operation : operations()) {
            Set<String> declared = new HashSet<>();
            List<JsonNode> parameters = new ArrayList<>();
            spec.path("paths").path(operation.path()).path("parameters").forEach(parameters::add);
            operation.node().path("parameters").forEach(parameters::add);
            for (JsonNode parameter : parameters) {
                JsonNode resolved = parameter.has("$ref")
                        ? schemas.resolve(parameter.get("$ref").asText())
                        : parameter;
                if (resolved.path("in").asText().equals("path")) {
                    assertThat(resolved.path("required").asBoolean()).isTrue();
                    declared.add(resolved.path("name").asText());
                }
            }
            Set<String> templated = new HashSet<>();
            Matcher matcher = TEMPLATE_PARAMETER.matcher(operation.path());
            while (matcher.find()) {
                templated.add(matcher.group(1));
            }
            assertThat(declared).as(operation.toString()).isEqualTo(templated);
        }
    }

    @Test
    void does_not_document_the_debug_endpoint() {
        assertThat(spec.path("paths").has("/internal/debug")).isFalse();
        assertThat(spec.path("paths").propertyStream().map(Map.Entry::getKey))
                .noneMatch(path -> path.startsWith("/internal"));
        // ... although the API serves it: a shadow API.
        assertThat(shop.client().get("/internal/debug").status()).isEqualTo(200);
    }

    @Test
    void marks_the_v1_operations_deprecated_and_no_other() {
        for (Operation operation : operations()) {
            assertThat(operation.node().path("deprecated").asBoolean())
                    .as(operation.toString())
                    .isEqualTo(operation.path().startsWith("/api/v1/"));
        }
        assertThat(spec.path("paths").has("/api/v1/orders/{orderId}")).isTrue();
    }

    @Test
    void marks_the_admin_function_sensitive_and_admin_only() {
        JsonNode disable = spec.at("/paths/~1api~1v2~1admin~1users~1{userId}~1disable/post");

        assertThat(disable.path("x-bulwark-sensitive").asBoolean()).isTrue();
        assertThat(disable.path("security").get(0).path("bearerAuth").get(0).asText())
                .isEqualTo("admin");
        assertThat(disable.path("tags").get(0).asText()).isEqualTo("admin");
    }

    @Test
    void documents_users_without_password_hashes_and_without_a_writable_role() {
        JsonNode user = schemas.resolve("#/components/schemas/User");
        JsonNode create = schemas.resolve("#/components/schemas/UserCreate");

        assertThat(user.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(user.path("properties").has("passwordHash")).isFalse();
        assertThat(user.path("properties").path("role").path("readOnly").asBoolean())
                .isTrue();
        assertThat(create.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(create.path("properties").propertyStream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("name", "email");
    }

    @Test
    void documents_the_owner_of_an_order() {
        JsonNode order = schemas.resolve("#/components/schemas/Order");

        assertThat(order.path("properties").has("ownerId")).isTrue();
        assertThat(order.path("required").toString()).contains("\"ownerId\"");
    }

    @Test
    void documents_pagination_on_every_list() {
        JsonNode limit = schemas.resolve("#/components/parameters/Limit").path("schema");
        JsonNode offset = schemas.resolve("#/components/parameters/Offset").path("schema");

        assertThat(limit.path("minimum").asInt()).isEqualTo(1);
        assertThat(limit.path("maximum").asInt()).isEqualTo(ShopRouter.MAX_LIMIT);
        assertThat(limit.path("default").asInt()).isEqualTo(ShopRouter.DEFAULT_LIMIT);
        assertThat(offset.path("minimum").asInt()).isZero();
        for (String path : List.of("/api/v2/users", "/api/v2/users/{userId}/accounts", "/api/v2/orders")) {
            assertThat(spec.path("paths")
                            .path(path)
                            .path("get")
                            .path("parameters")
                            .toString())
                    .as(path)
                    .contains("#/components/parameters/Limit", "#/components/parameters/Offset");
        }
    }

    @Test
    void every_documented_operation_is_served() {
        ShopClient client = shop.client();
        for (Operation operation : operations()) {
            String path = operation.path().replace("{userId}", "2").replace("{orderId}", "1");
            boolean hasBody = operation.node().has("requestBody");
            // An empty object is a valid JSON body but breaks every request schema: a served route answers 400.
            Response response = client.send(
                    operation.method().toUpperCase(Locale.ROOT),
                    path,
                    hasBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody(),
                    ShopRouter.USER_ID_HEADER,
                    RunningShop.ALICE);

            assertThat(response.status()).as(operation.toString()).isEqualTo(hasBody ? 400 : 200);
            String mediaType = response.header("Content-Type");
            JsonNode documented = operation.node().path("responses").path(String.valueOf(response.status()));
            assertThat(documented.isMissingNode())
                    .as(operation + " documents " + response.status())
                    .isFalse();
            JsonNode resolved = documented.has("$ref")
                    ? schemas.resolve(documented.get("$ref").asText())
                    : documented;
            assertThat(resolved.path("content").has(mediaType))
                    .as(operation + " answers " + mediaType)
                    .isTrue();
        }
    }

    /** An exchange with the API and the deviations from the documented response it is known to have. */
    record Exchange(String method, String path, String body, int status, List<String> violations) {

        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    static Stream<Exchange> exchanges() {
        String order = "{\"items\":[{\"sku\":\"GIANT-MAGNET\",\"quantity\":1}]}";
        return Stream.of(
                new Exchange("GET", "/health", null, 200, List.of()),
                new Exchange(
                        "GET",
                        "/api/v2/users",
                        null,
                        200,
                        List.of(
                                "/items/0" + PASSWORD_HASH_LEAK,
                                "/items/1" + PASSWORD_HASH_LEAK,
                                "/items/2" + PASSWORD_HASH_LEAK)),
                new Exchange("GET", "/api/v2/users/1", null, 200, List.of(PASSWORD_HASH_LEAK)),
                new Exchange(
                        "POST",
                        "/api/v2/users",
                        "{\"name\":\"Dave\",\"email\":\"dave@acme.example\"}",
                        201,
                        List.of(PASSWORD_HASH_LEAK)),
                new Exchange("GET", "/api/v2/users/1/accounts", null, 200, List.of()),
                new Exchange("GET", "/api/v2/orders", null, 200, List.of()),
                new Exchange("GET", "/api/v2/orders/1", null, 200, List.of()),
                new Exchange("POST", "/api/v2/orders", order, 201, List.of()),
                new Exchange("POST", "/api/v2/admin/users/2/disable", null, 200, List.of(PASSWORD_HASH_LEAK)),
                new Exchange("GET", "/api/v1/orders/1", null, 200, List.of()),
                new Exchange("GET", "/api/v2/users/99", null, 404, List.of()),
                new Exchange("GET", "/api/v2/orders?limit=500", null, 400, List.of()),
                new Exchange("POST", "/api/v2/users", "{\"name\":", 400, List.of()),
                new Exchange(
                        "POST",
                        "/api/v2/users",
                        "{\"name\":\"Alice\",\"email\":\"alice@acme.example\"}",
                        409,
                        List.of()),
                new Exchange(
                        "POST",
                        "/api/v2/users",
                        "{\"name\":\"" + "x".repeat(70_000) + "\",\"email\":\"x@acme.example\"}",
                        413,
                        List.of()),
                new Exchange(
                        "POST", "/api/v2/orders", "{\"items\":[{\"sku\":\"NOPE\",\"quantity\":1}]}", 422, List.of()));
    }

    @ParameterizedTest
    @MethodSource("exchanges")
    void answers_as_documented_except_for_the_flaws(Exchange exchange) throws IOException {
        Response response = shop.client()
                .send(
                        exchange.method(),
                        exchange.path(),
                        exchange.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(exchange.body()),
                        ShopRouter.USER_ID_HEADER,
                        RunningShop.ALICE);

        assertThat(response.status()).isEqualTo(exchange.status());
        Operation operation = operationFor(exchange.method(), exchange.path());
        JsonNode documented = operation.node().path("responses").path(String.valueOf(response.status()));
        assertThat(documented.isMissingNode())
                .as("%s documents %d", operation, response.status())
                .isFalse();
        if (documented.has("$ref")) {
            documented = schemas.resolve(documented.get("$ref").asText());
        }
        JsonNode schema = documented.path("content").path("application/json").path("schema");
        assertThat(schemas.violations(schema, JSON.readTree(response.body())))
                .containsExactlyInAnyOrderElementsOf(exchange.violations());
    }

    /** An operation of the document: its path template, method and node. */
    record Operation(String path, String method, JsonNode node) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : spec.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (METHODS.contains(method.getKey())) {
                    operations.add(new Operation(path.getKey(), method.getKey(), method.getValue()));
                }
            }
        }
        return operations;
    }

    private static Operation operationFor(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return operations().stream()
                .filter(operation -> operation.method().equalsIgnoreCase(method))
                .filter(operation ->
                        templateRegex(operation.path()).matcher(bare).matches())
                .findFirst()
                .orElseThrow(() -> new AssertionError("not documented: " + method + " " + path));
    }

    /** Matches the paths a template such as {@code /api/v2/users/{userId}} stands for. */
    private static Pattern templateRegex(String template) {
        StringBuilder regex = new StringBuilder();
        int literalStart = 0;
        Matcher parameter = TEMPLATE_PARAMETER.matcher(template);
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(literalStart, parameter.start())))
                    .append("[^/]+");
            literalStart = parameter.end();
        }
        return Pattern.compile(
                regex.append(Pattern.quote(template.substring(literalStart))).toString());
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectRefs(element, refs));
        }
    }
}
