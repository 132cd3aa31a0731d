package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.config.ConfigException;
import io.bulwark.demo.AcmeShopApi;
import io.bulwark.gateway.HttpCalls.Result;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway side of OpenAPI operation matching, the environment, and body inspection by policies. */
class OpenApiAndBodyIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    HttpClientAgent client;
    TestUpstream upstream;
    TestGateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        upstream = TestUpstream.start(vertx);
        Files.writeString(dir.resolve("shop.yaml"), AcmeShopApi.openApiYaml());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        vertx.close().await();
    }

    private void start(String routeExtras, String topLevel) throws Exception {
        gateway = TestGateway.start(vertx, dir, TestGateway.simpleConfig(upstream.url(), routeExtras, topLevel));
    }

    private Result call(HttpMethod method, String uri, String body) throws Exception {
        return HttpCalls.call(
                client,
                method,
                gateway.port(),
                uri,
                MultiMap.caseInsensitiveMultiMap(),
                body == null ? null : Buffer.buffer(body));
    }

    @Test
    void publishes_the_matched_operation_and_its_decoded_path_parameters() throws Exception {
        start("""
                openapi: shop.yaml
                policies:
                  - test-probe: {}
                """, "environment: staging");
        Result r = call(HttpMethod.GET, "/api/v2/orders/4%32", null);
        assertThat(r.status()).isEqualTo(200);
        TestUpstream.Seen seen = upstream.next();
        assertThat(seen.headers().get("X-Probe-Operation")).isEqualTo("getOrder");
        assertThat(seen.headers().get("X-Probe-Params")).isEqualTo("{orderId=42}");
        assertThat(seen.headers().get("X-Probe-Env")).isEqualTo("staging");
        assertThat(Integer.parseInt(seen.headers().get("X-Probe-Operations"))).isGreaterThan(5);

        call(HttpMethod.GET, "/api/v2/not-in-the-spec", null);
        assertThat(upstream.next().headers().get("X-Probe-Operation")).isNull();
        call(HttpMethod.DELETE, "/api/v2/orders/42", null);
        assertThat(upstream.next().headers().get("X-Probe-Operation")).isNull();
    }

    @Test
    void matches_below_the_route_prefix_when_it_is_stripped_and_below_a_configured_base_path() throws Exception {
        gateway = TestGateway.start(
                vertx, dir, TestGateway.simpleConfig(upstream.url(), "", "").replace("""
                          - id: main
                            path: /
                        """, """
                          - id: main
                            path: /shop
                            strip_prefix: true
                            openapi: {spec: shop.yaml, base_path: /api/v2}
                            policies:
                              - test-probe: {}
                        """));
        call(HttpMethod.GET, "/shop/api/v2/users/7/accounts", null);
        TestUpstream.Seen seen = upstream.next();
        assertThat(seen.uri()).isEqualTo("/api/v2/users/7/accounts");
        assertThat(seen.headers().get("X-Probe-Operation")).isNull(); // templates are below /api/v2 now
        Files.writeString(dir.resolve("rel.yaml"), """
                openapi: 3.1.0
                servers: [{url: 'https://shop.example.com/api/v2'}]
                paths:
                  /users/{userId}/accounts: {get: {operationId: accounts}}
                """);
        gateway.close();
        gateway = TestGateway.start(vertx, dir, TestGateway.simpleConfig(upstream.url(), """
                openapi: rel.yaml
                policies:
                  - test-probe: {}
                """, ""));
        call(HttpMethod.GET, "/api/v2/users/7/accounts", null);
        assertThat(upstream.next().headers().get("X-Probe-Operation")).isEqualTo("accounts");
    }

    @Test
    void refuses_configs_with_a_broken_spec_or_environment() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "openapi: 2.0\n");
        assertThatThrownBy(() -> start("openapi: bad.yaml", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("openapi")
                .hasMessageContaining("3.0");
        assertThatThrownBy(() -> start("openapi: missing.yaml", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> start("openapi: {spec: shop.yaml, base_path: v2}", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("base_path");
        assertThatThrownBy(() -> start("", "environment: Prod Env"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment");
    }

    @Test
    void a_policy_sees_and_replaces_the_whole_request_body_before_the_upstream_is_called() throws Exception {
        start("""
                policies:
                  - test-probe: {inspect_request: true, async: true}
                """, "");
        Result r = call(HttpMethod.POST, "/echo", "hello gateway");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"bytes\":13");
        TestUpstream.Seen seen = upstream.next();
        assertThat(seen.headers().get("Content-Length")).isEqualTo("13");

        Result refused = call(HttpMethod.POST, "/echo", "this is forbidden");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("PROBE_REFUSED").doesNotContain("this is forbidden");
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void an_inspected_chunked_request_body_is_sent_upstream_with_an_exact_length() throws Exception {
        upstream.on(
                "/capture",
                req -> req.body().onSuccess(b -> {
                    upstream.record(req, b.length());
                    req.response().end(b);
                }));
        start("""
                policies:
                  - test-probe: {inspect_request: true}
                """, "");
        RawHttp.Response resp = RawHttp.exchange(gateway.port(), """
                POST /capture HTTP/1.1\r
                Host: x\r
                Transfer-Encoding: chunked\r
                Connection: close\r
                \r
                3\r
                abc\r
                2\r
                de\r
                0\r
                \r
                """);
        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.body()).isEqualTo("ABCDE");
        TestUpstream.Seen seen = upstream.next();
        assertThat(seen.headers().get("Content-Length")).isEqualTo("5");
        assertThat(seen.headers().get("Transfer-Encoding")).isNull();
    }

    @Test
    void an_inspected_request_body_over_the_inspection_limit_gets_413_declared_or_streamed() throws Exception {
        start("""
                policies:
                  - test-probe: {inspect_request: true}
                """, "limits:\n  max_inspected_body_bytes: 1KiB");
        Result declared = call(HttpMethod.POST, "/echo", "x".repeat(1025));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body()).contains("BODY_TOO_LARGE");
        RawHttp.Response chunked = RawHttp.exchange(
                gateway.port(),
                "POST /echo HTTP/1.1\r\nHost: x\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "400\r\n" + "y".repeat(1024) + "\r\n10\r\n" + "z".repeat(16) + "\r\n0\r\n\r\n");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.body()).contains("BODY_TOO_LARGE");
        assertThat(upstream.pending()).isZero();
        Result fits = call(HttpMethod.POST, "/echo", "x".repeat(1024));
        assertThat(fits.status()).isEqualTo(200);
    }

    @Test
    void a_policy_sees_changes_and_refuses_the_whole_response_body() throws Exception {
        upstream.on("/plain", req -> req.response().putHeader("ETag", "\"v1\"").end("data"));
        upstream.on("/leak", req -> req.response().setChunked(true).end("top secret"));
        upstream.on("/big", req -> req.response().end("b".repeat(2048)));
        upstream.on("/empty", req -> req.response().setStatusCode(204).end());
        start("""
                policies:
                  - test-probe: {inspect_response: true}
                """, "limits:\n  max_inspected_body_bytes: 1KiB");
        Result plain = call(HttpMethod.GET, "/plain", null);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("data!");
        assertThat(plain.headers().get("Content-Length")).isEqualTo("5");
        assertThat(plain.headers().get("ETag")).isNull();

        Result leak = call(HttpMethod.GET, "/leak", null);
        assertThat(leak.status()).isEqualTo(422);
        assertThat(leak.body()).contains("PROBE_REFUSED").doesNotContain("top secret");
        assertThat(leak.headers().get("Content-Type")).isEqualTo("application/problem+json");

        Result big = call(HttpMethod.GET, "/big", null);
        assertThat(big.status()).isEqualTo(502);
        assertThat(big.body()).contains("RESPONSE_NOT_INSPECTABLE").doesNotContain("bbbb");

        assertThat(call(HttpMethod.GET, "/empty", null).status()).isEqualTo(204);
        Result head = call(HttpMethod.HEAD, "/plain", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void a_chunked_response_over_the_limit_fails_closed_and_the_gateway_keeps_serving() throws Exception {
        upstream.on("/stream", req -> {
            req.response().setChunked(true);
            for (int i = 0; i < 64; i++) {
                req.response().write("c".repeat(100));
            }
            req.response().end();
        });
        start("""
                policies:
                  - test-probe: {inspect_response: true}
                """, "limits:\n  max_inspected_body_bytes: 1KiB");
        Result r = call(HttpMethod.GET, "/stream", null);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("RESPONSE_NOT_INSPECTABLE");
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream()
                    .write("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("!");
        }
    }
}
