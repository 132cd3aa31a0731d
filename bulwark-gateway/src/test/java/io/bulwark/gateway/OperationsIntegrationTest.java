package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.gateway.HttpCalls.Result;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin API, metrics, access log, reload, WebSocket, retries and graceful shutdown. */
class OperationsIntegrationTest {
    static final String TOKEN = "test-admin-token-0123456789abcdef";
    static Vertx vertx;
    static HttpClientAgent client;

    @TempDir
    Path dir;

    TestUpstream upstream;
    TestGateway gw;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    @AfterAll
    static void close() throws Exception {
        vertx.close().await();
    }

    @BeforeEach
    void start() throws Exception {
        upstream = TestUpstream.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        upstream.close();
    }

    String config(String routes, String extras) {
        return """
                listeners:
                  - {name: http, port: 0, host: 127.0.0.1}
                admin:
                  port: 0
                  token: ${env:ADMIN_TOKEN}
                upstreams:
                  up: {targets: ["%s"], response_timeout: 5s}
                routes:
                %s
                %s
                """.formatted(upstream.url(), TestGateway.indent(routes, 2), extras);
    }

    void start(String routes, String extras) throws Exception {
        gw = TestGateway.start(vertx, dir, config(routes, extras), Map.of("ADMIN_TOKEN", TOKEN));
    }

    Result call(HttpMethod method, int port, String uri, MultiMap headers) throws Exception {
        return HttpCalls.call(client, method, port, uri, headers, null);
    }

    MultiMap bearer(String token) {
        return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
    }

    @Test
    void admin_health_ready_and_metrics_need_no_token_but_the_api_does() throws Exception {
        start("- {id: main, path: /, upstream: up, public: true}", "access_log: {enabled: false}");
        int admin = gw.gateway.adminPort();
        assertThat(call(HttpMethod.GET, admin, "/health", null).body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(call(HttpMethod.GET, admin, "/ready", null).status()).isEqualTo(200);
        call(HttpMethod.GET, gw.port(), "/a", null);
        call(HttpMethod.GET, gw.port(), "/b", MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "x\"y"));
        String metrics = call(HttpMethod.GET, admin, "/metrics", null).body();
        assertThat(metrics).contains("bulwark_requests_total{method=\"GET\",route=\"main\",status_class=\"2xx\"} 2.0");
        assertThat(metrics).contains("bulwark_request_duration_seconds_bucket{route=\"main\"");
        assertThat(metrics).contains("bulwark_upstream_duration_seconds_count{upstream=\"up\"}");
        assertThat(metrics).contains("bulwark_connections_open{listener=\"http\"}");
        assertThat(metrics).contains("bulwark_events_dropped_total");

        Result noToken = call(HttpMethod.POST, admin, "/admin/api/reload", null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.headers().get("WWW-Authenticate")).startsWith("Bearer");
        assertThat(noToken.body()).contains("ADMIN_UNAUTHORIZED");
        assertThat(call(HttpMethod.POST, admin, "/admin/api/reload", bearer(TOKEN + "x"))
                        .status())
                .isEqualTo(401);
        assertThat(call(HttpMethod.POST, admin, "/admin/api/reload", bearer(TOKEN.substring(1)))
                        .status())
                .isEqualTo(401);
        Result wrongMethod = call(HttpMethod.GET, admin, "/admin/api/reload", bearer(TOKEN));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers().get("Allow")).isEqualTo("POST");
        Result config = call(HttpMethod.GET, admin, "/admin/api/config", bearer(TOKEN));
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body()).contains("\"id\":\"main\"").doesNotContain(TOKEN);
        assertThat(call(HttpMethod.GET, admin, "/nope", null).status()).isEqualTo(404);
    }

    @Test
    void reload_swaps_a_valid_config_and_refuses_an_invalid_one_without_dropping_requests() throws Exception {
        upstream.on("/slow", req -> vertx.setTimer(1500, id -> req.response().end("slow-done")));
        start("- {id: main, path: /, upstream: up, public: true}", "access_log: {enabled: false}");
        int admin = gw.gateway.adminPort();
        // A request in flight across both reloads must complete.
        Future<String> inFlight = client.request(new RequestOptions()
                        .setHost("127.0.0.1")
                        .setPort(gw.port())
                        .setURI("/slow"))
                .compose(r -> r.send())
                .compose(r -> r.body())
                .map(Buffer::toString);
        Thread.sleep(200);

        gw.rewrite(config(
                "- {id: main, path: /, upstream: up, public: true}\n- {id: v2, path: /v2, upstream: up, public: true, hide_upstream_errors: true}",
                "access_log: {enabled: false}"));
        Result ok = call(HttpMethod.POST, admin, "/admin/api/reload", bearer(TOKEN));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"result\":\"reloaded\"").contains("\"routes\":2");

        gw.rewrite(config("- {id: main, path: /, upstream: nowhere, public: true}", "access_log: {enabled: false}"));
        Result bad = call(HttpMethod.POST, admin, "/admin/api/reload", bearer(TOKEN));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(bad.body())
                .contains("CONFIG_INVALID")
                .contains("routes[0].upstream")
                .contains(":9:35");

        gw.rewrite(config("- {id: main, path: /, upstream: up}", "access_log: {enabled: false}"));
        Result denied = call(HttpMethod.POST, admin, "/admin/api/reload", bearer(TOKEN));
        assertThat(denied.status()).isEqualTo(422);
        assertThat(denied.body()).contains("no authentication policy");

        // The valid reload is still serving: /v2 exists.
        upstream.on("/v2/x", req -> req.response().setStatusCode(500).end("trace"));
        Result v2 = call(HttpMethod.GET, gw.port(), "/v2/x", null);
        assertThat(v2.status()).isEqualTo(500);
        assertThat(v2.body()).contains("UPSTREAM_SERVER_ERROR");
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).isEqualTo("slow-done");
        assertThat(gw.gateway.metrics().scrape()).contains("bulwark_config_reloads_total{result=\"failure\"} 2.0");
    }

    @Test
    void writes_one_json_access_log_line_per_request_without_secrets() throws Exception {
        Path log = dir.resolve("logs/access.log");
        start(
                "- {id: main, path: /, upstream: up, public: true}",
                "access_log: {output: %s, include_headers: [user-agent, authorization, x-session], secret_headers: [x-session]}"
                        .formatted(log));
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer super-secret-token")
                .add("Cookie", "sid=secret-cookie")
                .add("X-Session", "secret-session")
                .add("User-Agent", "tests/1.0");
        call(HttpMethod.POST, gw.port(), "/orders?id=1", h);
        call(HttpMethod.GET, gw.port(), "/missing/../..", null);
        String text = "";
        for (int i = 0; i < 50 && text.lines().count() < 2; i++) {
            Thread.sleep(100);
            text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
        assertThat(text.lines()).hasSize(2);
        // A line is written when its exchange has finished on the server, which may come after the client has its
        // answer: the two lines can appear in either order.
        String first = text.lines()
                .filter(l -> l.contains("\"method\":\"POST\""))
                .findFirst()
                .orElseThrow();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first);
        assertThat(json.get("route").asText()).isEqualTo("main");
        assertThat(json.get("method").asText()).isEqualTo("POST");
        assertThat(json.get("path").asText()).isEqualTo("/orders");
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("duration_us").asLong()).isPositive();
        assertThat(json.get("client_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(json.get("upstream").asText()).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(json.get("request_id").asText()).matches("[0-9a-f]{32}");
        assertThat(json.has("bytes_in") && json.has("bytes_out") && json.has("consumer") && json.has("error_key"))
                .isTrue();
        assertThat(json.get("headers").get("user-agent").asText()).isEqualTo("tests/1.0");
        assertThat(json.get("headers").get("authorization").asText()).isEqualTo("<redacted>");
        assertThat(json.get("headers").get("x-session").asText()).isEqualTo("<redacted>");
        assertThat(text)
                .doesNotContain("super-secret-token")
                .doesNotContain("secret-cookie")
                .doesNotContain("secret-session");
        assertThat(text.lines().filter(l -> !l.equals(first)).findFirst().orElseThrow())
                .contains("\"error_key\":\"BAD_REQUEST\"");
    }

    @Test
    void counts_and_logs_what_policies_in_monitor_mode_let_through() throws Exception {
        Path log = dir.resolve("monitor.log");
        start(
                "- {id: main, path: /, upstream: up, public: true, policies: [{test-probe: {monitor: true}}]}",
                "access_log: {output: %s}".formatted(log));
        assertThat(call(HttpMethod.GET, gw.port(), "/x", null).status()).isEqualTo(200);
        String metrics = "";
        for (int i = 0; i < 50 && !metrics.contains("bulwark_monitored_total"); i++) {
            metrics = call(HttpMethod.GET, gw.gateway.adminPort(), "/metrics", null)
                    .body();
            Thread.sleep(20);
        }
        assertThat(metrics).contains("bulwark_monitored_total{error_key=\"PROBE_REFUSED\",route=\"main\"} 2.0");
        String text = "";
        for (int i = 0; i < 50 && text.isEmpty(); i++) {
            Thread.sleep(100);
            text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
        assertThat(text).contains("\"monitored\":[\"PROBE_REFUSED\",\"PROBE_REFUSED\"]");
    }

    @Test
    void passes_websocket_upgrades_through_after_the_chain() throws Exception {
        upstream.close();
        var wsServer =
                vertx.createHttpServer().webSocketHandler(ws -> ws.handler(b -> ws.writeTextMessage("echo:" + b)));
        wsServer.listen(0, "127.0.0.1").await();
        try {
            gw = TestGateway.start(vertx, dir, """
                    listeners:
                      - {name: http, port: 0, host: 127.0.0.1}
                    upstreams:
                      up: {targets: ["http://127.0.0.1:%d"]}
                    routes:
                      - id: ws
                        path: /ws
                        upstream: up
                        public: true
                        policies:
                          - cors: {allow_origins: ["https://app.example.com"]}
                    access_log: {enabled: false}
                    """.formatted(wsServer.actualPort()));
            WebSocketClient wsClient = vertx.createWebSocketClient();
            var ws = wsClient.connect(new WebSocketConnectOptions()
                            .setHost("127.0.0.1")
                            .setPort(gw.port())
                            .setURI("/ws/chat"))
                    .await(10, TimeUnit.SECONDS);
            var reply = io.vertx.core.Promise.<String>promise();
            ws.textMessageHandler(reply::tryComplete);
            ws.writeTextMessage("hello").await();
            assertThat(reply.future().await(10, TimeUnit.SECONDS)).isEqualTo("echo:hello");
            ws.close().await();
            wsClient.close().await();
        } finally {
            upstream = TestUpstream.start(vertx);
            wsServer.close().await();
        }
    }

    @Test
    void retries_idempotent_requests_on_another_target_and_ejects_the_dead_one() throws Exception {
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        gw = TestGateway.start(vertx, dir, """
                listeners:
                  - {name: http, port: 0, host: 127.0.0.1}
                upstreams:
                  up:
                    targets: ["http://127.0.0.1:%d", "%s"]
                    retries: 1
                    health: {max_failures: 2, eject_for: 30s}
                routes:
                  - {id: main, path: /, upstream: up, public: true}
                access_log: {enabled: false}
                """.formatted(dead, upstream.url()));
        for (int i = 0; i < 6; i++) {
            assertThat(call(HttpMethod.GET, gw.port(), "/r" + i, null).status()).isEqualTo(200);
        }
        // POST is not idempotent: it is never retried, so while the dead target is in rotation it could fail;
        // once ejected (after two failures above) every POST goes to the live target.
        for (int i = 0; i < 4; i++) {
            assertThat(call(HttpMethod.POST, gw.port(), "/p" + i, null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void does_not_retry_a_post_that_failed() throws Exception {
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        gw = TestGateway.start(vertx, dir, """
                listeners:
                  - {name: http, port: 0, host: 127.0.0.1}
                upstreams:
                  up: {targets: ["http://127.0.0.1:%d", "%s"], retries: 3, health: {max_failures: 100}}
                routes:
                  - {id: main, path: /, upstream: up, public: true}
                access_log: {enabled: false}
                """.formatted(dead, upstream.url()));
        int failures = 0;
        for (int i = 0; i < 6; i++) {
            if (call(HttpMethod.POST, gw.port(), "/p", null).status() == 502) {
                failures++;
            }
        }
        assertThat(failures).isEqualTo(3);
    }

    @Test
    void graceful_shutdown_finishes_in_flight_requests_and_stops_accepting() throws Exception {
        upstream.on("/slow", req -> vertx.setTimer(800, id -> req.response().end("finished")));
        start("- {id: main, path: /, upstream: up, public: true}", "access_log: {enabled: false}");
        int port = gw.port();
        Future<String> inFlight = client.request(
                        new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/slow"))
                .compose(r -> r.send())
                .compose(r -> r.body())
                .map(Buffer::toString);
        Thread.sleep(200);
        Future<Void> shutdown = gw.gateway.shutdown(java.time.Duration.ofSeconds(5));
        Thread.sleep(100);
        assertThat(call(HttpMethod.GET, gw.gateway.adminPort() > 0 ? gw.gateway.adminPort() : port, "/ready", null)
                        .status())
                .isIn(503, -1);
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).isEqualTo("finished");
        shutdown.await(10, TimeUnit.SECONDS);
        boolean refused;
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            refused = false;
        } catch (java.net.ConnectException e) {
            refused = true;
        }
        assertThat(refused).isTrue();
        gw = null;
    }

    @Test
    void cors_preflight_and_security_headers_work_end_to_end() throws Exception {
        start("""
                - id: main
                  path: /
                  upstream: up
                  public: true
                  policies:
                    - cors: {allow_origins: ["https://app.example.com"], allow_methods: [GET, POST], allow_headers: [Content-Type]}
                    - headers: {response: {set: {X-Api: bulwark}}}
                """, "access_log: {enabled: false}");
        MultiMap pre = MultiMap.caseInsensitiveMultiMap()
                .add("Origin", "https://app.example.com")
                .add("Access-Control-Request-Method", "POST")
                .add("Access-Control-Request-Headers", "content-type");
        Result preflight = call(HttpMethod.OPTIONS, gw.port(), "/orders", pre);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(preflight.headers().get("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
        assertThat(upstream.pending()).isZero();

        MultiMap evil = MultiMap.caseInsensitiveMultiMap()
                .add("Origin", "https://evil.example")
                .add("Access-Control-Request-Method", "POST");
        Result refused = call(HttpMethod.OPTIONS, gw.port(), "/orders", evil);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("CORS_REJECTED");

        Result actual = call(
                HttpMethod.GET,
                gw.port(),
                "/orders",
                MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.example.com"));
        assertThat(actual.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(actual.headers().get("Vary")).contains("Origin");
        assertThat(actual.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(actual.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(actual.headers().get("X-Api")).isEqualTo("bulwark");
        assertThat(actual.headers().contains("Server")).isFalse();
        assertThat(actual.headers().contains("X-Powered-By")).isFalse();

        // Rejections carry the same headers, so browsers can read the error.
        Result missing = call(
                HttpMethod.GET,
                gw.port(),
                "/a/%2f",
                MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.example.com"));
        assertThat(missing.status()).isEqualTo(400);
    }
}
