package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.demo.AcmeShopApi;
import io.bulwark.gateway.HttpCalls.Result;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code openapi} policy end to end: the sample API behind the gateway, its contract enforced. */
class OpenApiPolicyIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    HttpClientAgent client;
    HttpServer shop;
    TestGateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        shop = AcmeShopApi.start(vertx, "127.0.0.1", 0).await();
        Files.writeString(dir.resolve("shop.yaml"), AcmeShopApi.openApiYaml());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        vertx.close().await();
    }

    private void start(String policy) throws Exception {
        gateway = TestGateway.start(
                vertx,
                dir,
                TestGateway.simpleConfig("http://127.0.0.1:" + shop.actualPort(), """
                        openapi: shop.yaml
                        policies:
                          - %s
                        """.formatted(policy), ""));
    }

    private Result call(HttpMethod method, String uri, String json) throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-User-Id", "3");
        if (json != null) {
            headers.add("Content-Type", "application/json");
        }
        return HttpCalls.call(client, method, gateway.port(), uri, headers, json == null ? null : Buffer.buffer(json));
    }

    @Test
    void enforces_the_sample_apis_contract() throws Exception {
        start("openapi: {}");
        assertThat(call(HttpMethod.GET, "/health", null).status()).isEqualTo(200);

        Result massAssignment = call(
                HttpMethod.POST,
                "/api/v2/users",
                "{\"name\":\"Mallory\",\"email\":\"mallory@example.com\",\"role\":\"admin\"}");
        assertThat(massAssignment.status()).isEqualTo(400);
        assertThat(massAssignment.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(massAssignment.body()).contains("OAS_BODY_UNKNOWN_PROPERTY").contains("/role");

        Result created =
                call(HttpMethod.POST, "/api/v2/users", "{\"name\":\"Mallory\",\"email\":\"mallory@example.com\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).contains("\"role\":\"customer\"");

        Result debug = call(HttpMethod.GET, "/internal/debug", null);
        assertThat(debug.status()).isEqualTo(404);
        assertThat(debug.body()).contains("OAS_PATH_UNKNOWN").doesNotContain("debug\":true");

        Result delete = call(HttpMethod.DELETE, "/api/v2/users", null);
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.headers().get("Allow")).isEqualTo("GET, HEAD, POST");

        Result limit = call(HttpMethod.GET, "/api/v2/users?limit=500", null);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.body()).contains("OAS_PARAMETER_INVALID").contains("limit");

        Result deep = call(HttpMethod.POST, "/api/v2/orders", "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.body()).contains("OAS_BODY_LIMIT");

        Result xml = HttpCalls.call(
                client,
                HttpMethod.POST,
                gateway.port(),
                "/api/v2/users",
                MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/xml"),
                Buffer.buffer("<user/>"));
        assertThat(xml.status()).isEqualTo(415);
        assertThat(xml.body()).contains("OAS_CONTENT_TYPE");
    }

    @Test
    void strips_the_password_hash_the_api_leaks() throws Exception {
        start("openapi: {}");
        Result direct = HttpCalls.call(
                client,
                HttpMethod.GET,
                shop.actualPort(),
                "/api/v2/users/1",
                MultiMap.caseInsensitiveMultiMap().add("X-User-Id", "3"),
                null);
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.body()).contains("\"passwordHash\""); // the flaw

        Result through = call(HttpMethod.GET, "/api/v2/users/1", null);
        assertThat(through.status()).isEqualTo(200);
        assertThat(through.body())
                .doesNotContain("passwordHash")
                .contains("\"email\"")
                .contains("\"id\":1");
        assertThat(through.headers().get("Content-Length"))
                .isEqualTo(Integer.toString(through.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));

        Result missing = call(HttpMethod.GET, "/api/v2/users/999999", null);
        assertThat(missing.status()).isEqualTo(404); // a declared error response goes through
    }

    @Test
    void monitor_mode_lets_the_leak_through() throws Exception {
        start("openapi: {mode: monitor}");
        Result through = call(HttpMethod.GET, "/api/v2/users/1", null);
        assertThat(through.status()).isEqualTo(200);
        assertThat(through.body()).contains("\"passwordHash\"");
    }

    @Test
    void monitor_mode_lets_the_request_reach_the_api() throws Exception {
        start("openapi: {mode: monitor}");
        Result debug = call(HttpMethod.GET, "/internal/debug", null);
        assertThat(debug.status()).isEqualTo(200);
        Result massAssignment = call(
                HttpMethod.POST,
                "/api/v2/users",
                "{\"name\":\"Mallory\",\"email\":\"mallory2@example.com\",\"role\":\"admin\"}");
        assertThat(massAssignment.status()).isEqualTo(201);
        assertThat(massAssignment.body()).contains("\"role\":\"admin\""); // the flaw the enforce mode closes
    }
}
