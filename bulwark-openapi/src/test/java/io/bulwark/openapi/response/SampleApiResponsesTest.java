package io.bulwark.openapi.response;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.demo.AcmeShopApi;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.response.ResponseCheck.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real answers of the sample API, filtered with the contract of its own spec. */
class SampleApiResponsesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Vertx vertx;
    private static HttpServer server;
    private static HttpClient http;
    private static ResponseContract contract;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = AcmeShopApi.start(vertx, "127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        contract = ResponseContract.compile(OpenApiDocument.parse("shop.yaml", AcmeShopApi.openApiYaml()));
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private record Answer(int status, String contentType, byte[] body) {}

    private static Answer send(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }

    /** What the gateway would do: look the response up, then filter it with the declared shape. */
    private static FilterResult filter(String operationId, Answer answer) {
        ResponseCheck check = contract.lookup(operationId, answer.status(), answer.contentType());
        assertThat(check.verdict())
                .as("%s %s", answer.status(), answer.contentType())
                .isEqualTo(Verdict.DECLARED);
        FilterResult result = ResponseFilter.filter(check.shape().orElseThrow(), answer.body(), FilterLimits.DEFAULTS);
        assertThat(result.valid()).as("%s", result).isTrue();
        return result;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void get_user_loses_its_password_hash_and_keeps_everything_else_in_order() throws Exception {
        Answer answer = send("GET", "/api/v2/users/1", null);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode original = JSON.readTree(answer.body());
        assertThat(original.has("passwordHash")).isTrue(); // the flaw is real

        FilterResult r = filter("getUser", answer);
        assertThat(r.changed()).isTrue();
        assertThat(r.removed()).containsExactly("/passwordHash");
        JsonNode filtered = JSON.readTree(r.body());
        assertThat(fieldNames(filtered)).containsExactly("id", "name", "email", "role", "status", "createdAt");
        ((com.fasterxml.jackson.databind.node.ObjectNode) original).remove("passwordHash");
        assertThat(filtered).isEqualTo(original);
        assertThat(new String(r.body(), UTF_8)).doesNotContain("passwordHash", "$2");
    }

    @Test
    void a_page_of_users_loses_every_password_hash() throws Exception {
        Answer answer = send("GET", "/api/v2/users?limit=3", null);
        FilterResult r = filter("listUsers", answer);
        assertThat(r.removed())
                .containsExactly("/items/0/passwordHash", "/items/1/passwordHash", "/items/2/passwordHash");
        JsonNode page = JSON.readTree(r.body());
        assertThat(fieldNames(page)).containsExactly("items", "total", "limit", "offset");
        assertThat(page.get("items")).hasSize(3);
        assertThat(page.get("items").get(2).get("role").asText()).isEqualTo("admin");
    }

    @Test
    void a_user_made_admin_by_mass_assignment_is_still_answered_without_its_hash() throws Exception {
        Answer answer =
                send("POST", "/api/v2/users", "{\"name\":\"mallory\",\"email\":\"m@example.com\",\"role\":\"admin\"}");
        assertThat(answer.status()).isEqualTo(201);
        FilterResult r = filter("createUser", answer);
        assertThat(r.removed()).containsExactly("/passwordHash");
    }

    @Test
    void answers_that_match_their_schemas_pass_byte_for_byte() throws Exception {
        String[][] cases = {
            {"listOrders", "/api/v2/orders"},
            {"getOrder", "/api/v2/orders/1"},
            {"listUserAccounts", "/api/v2/users/1/accounts"},
            {"getOrderV1", "/api/v1/orders/1"},
            {"getHealth", "/health"},
            {"getUser", "/api/v2/users/999"} // 404: a Problem
        };
        for (String[] c : cases) {
            Answer answer = send("GET", c[1], null, "X-User-Id", "1");
            FilterResult r = filter(c[0], answer);
            assertThat(r.changed()).as(c[1]).isFalse();
            assertThat(r.body()).as(c[1]).isSameAs(answer.body());
        }
    }

    @Test
    void the_yaml_document_is_declared_but_not_filtered() throws Exception {
        Answer answer = send("GET", "/openapi.yaml", null);
        ResponseCheck check = contract.lookup("getOpenApiDocument", answer.status(), answer.contentType());
        assertThat(check.verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(check.shape()).isEmpty();
    }

    @Test
    void an_undeclared_status_or_content_type_of_the_sample_api_is_reported() {
        assertThat(contract.lookup("getUser", 418, "application/json").verdict())
                .isEqualTo(Verdict.UNDECLARED_STATUS);
        assertThat(contract.lookup("getUser", 200, "text/html").verdict()).isEqualTo(Verdict.UNDECLARED_CONTENT_TYPE);
        // createUser declares 201, not 200.
        assertThat(contract.lookup("createUser", 200, "application/json").verdict())
                .isEqualTo(Verdict.UNDECLARED_STATUS);
    }
}
