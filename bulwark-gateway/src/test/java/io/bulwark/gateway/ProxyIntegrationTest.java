package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.gateway.HttpCalls.Result;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy path end to end: a real gateway on port 0 in front of a real in-process upstream. */
class ProxyIntegrationTest {
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

    private void gateway(String routeExtras) throws Exception {
        gw = TestGateway.start(vertx, dir, TestGateway.simpleConfig(upstream.url(), routeExtras, ""));
    }

    private Result call(HttpMethod method, String uri, MultiMap headers, Buffer body) throws Exception {
        return HttpCalls.call(client, method, gw.port(), uri, headers, body);
    }

    @Test
    void proxies_a_get_and_adds_request_id_and_forwarding_headers() throws Exception {
        gateway("");
        Result r = call(HttpMethod.GET, "/api/items?x=1&y=%20z", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"uri\":\"/api/items?x=1&y=%20z\"");
        String id = r.headers().get("X-Request-Id");
        assertThat(id).matches("[0-9a-f]{32}");
        TestUpstream.Seen seen = upstream.next();
        assertThat(seen.headers().get("X-Request-Id")).isEqualTo(id);
        assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.headers().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.headers().get("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + gw.port());
        assertThat(seen.headers().get("Forwarded"))
                .isEqualTo("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + gw.port() + "\"");
        assertThat(seen.headers().get("Host")).isEqualTo("127.0.0.1:" + upstream.port());
    }

    @Test
    void keeps_a_valid_client_request_id_and_replaces_a_hostile_one() throws Exception {
        gateway("");
        Result kept =
                call(HttpMethod.GET, "/", MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "abc-123"), null);
        assertThat(kept.headers().get("X-Request-Id")).isEqualTo("abc-123");
        assertThat(upstream.next().headers().get("X-Request-Id")).isEqualTo("abc-123");
        Result replaced = call(
                HttpMethod.GET,
                "/",
                MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "<script>alert(1)</script>"),
                null);
        assertThat(replaced.headers().get("X-Request-Id")).matches("[0-9a-f]{32}");
    }

    @Test
    void passes_traceparent_through_and_removes_hop_by_hop_headers() throws Exception {
        gateway("");
        RawHttp.Response r = RawHttp.exchange(
                gw.port(),
                "GET / HTTP/1.1\r\nHost: a\r\n"
                        + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
                        + "Connection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
                        + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        MultiMap seen = upstream.next().headers();
        assertThat(seen.get("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(seen.contains("X-Secret-Hop")).isFalse();
        assertThat(seen.contains("Keep-Alive")).isFalse();
        assertThat(seen.contains("Proxy-Authorization")).isFalse();
        assertThat(seen.contains("TE")).isFalse();
    }

    @Test
    void drops_forwarding_headers_from_an_untrusted_client() throws Exception {
        gateway("");
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("X-Forwarded-For", "6.6.6.6")
                .add("Forwarded", "for=6.6.6.6")
                .add("X-Forwarded-Proto", "https")
                .add("X-Real-IP", "6.6.6.6");
        call(HttpMethod.GET, "/", h, null);
        MultiMap seen = upstream.next().headers();
        assertThat(seen.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.get("Forwarded")).doesNotContain("6.6.6.6");
        assertThat(seen.contains("X-Real-IP")).isFalse();
    }

    @Test
    void appends_to_forwarding_headers_from_a_trusted_proxy() throws Exception {
        gw = TestGateway.start(
                vertx, dir, TestGateway.simpleConfig(upstream.url(), "", "trusted_proxies: [127.0.0.0/8]"));
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("X-Forwarded-For", "203.0.113.7")
                .add("X-Forwarded-Proto", "https");
        call(HttpMethod.GET, "/", h, null);
        MultiMap seen = upstream.next().headers();
        assertThat(seen.get("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void preserves_the_client_host_when_asked() throws Exception {
        gateway("preserve_host: true");
        call(HttpMethod.GET, "/", MultiMap.caseInsensitiveMultiMap().add("Host", "api.example.com"), null);
        assertThat(upstream.next().headers().get("Host")).isEqualTo("api.example.com");
    }

    @Test
    void streams_content_length_and_chunked_bodies() throws Exception {
        gateway("");
        Result r = call(HttpMethod.POST, "/upload", null, Buffer.buffer("x".repeat(100_000)));
        assertThat(r.status()).isEqualTo(200);
        TestUpstream.Seen seen = upstream.next();
        assertThat(seen.bodyBytes()).isEqualTo(100_000);
        assertThat(seen.headers().get("Content-Length")).isEqualTo("100000");

        RequestOptions o = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(gw.port())
                .setURI("/chunked");
        var req = client.request(o).await();
        req.setChunked(true);
        for (int i = 0; i < 10; i++) {
            req.write(Buffer.buffer(new byte[10_000])).await();
        }
        Result chunked = req.end()
                .compose(v -> req.response())
                .compose(resp -> resp.body().map(b -> new Result(resp.statusCode(), resp.headers(), b.toString())))
                .await(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(chunked.status()).isEqualTo(200);
        assertThat(chunked.body()).contains("\"bytes\":100000");
        assertThat(upstream.next().headers().get("Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void head_204_and_304_responses_have_no_body() throws Exception {
        upstream.on("/empty", req -> req.response().setStatusCode(204).end());
        upstream.on(
                "/cached",
                req -> req.response()
                        .setStatusCode(304)
                        .putHeader("ETag", "\"v1\"")
                        .end());
        gateway("");
        RawHttp.Response head = RawHttp.exchange(gw.port(), "HEAD /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        RawHttp.Response noContent =
                RawHttp.exchange(gw.port(), "GET /empty HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(noContent.status()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        assertThat(noContent.text().toLowerCase()).doesNotContain("transfer-encoding");
        RawHttp.Response notModified =
                RawHttp.exchange(gw.port(), "GET /cached HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.text()).contains("ETag: \"v1\"");
    }

    @Test
    void strips_the_route_prefix_when_asked() throws Exception {
        gw = TestGateway.start(vertx, dir, """
                listeners:
                  - {name: http, port: 0, host: 127.0.0.1}
                upstreams:
                  up: {targets: ["%s/base"]}
                routes:
                  - {id: svc, path: /svc, upstream: up, public: true, strip_prefix: true}
                access_log: {enabled: false}
                """.formatted(upstream.url()));
        Result r = call(HttpMethod.GET, "/svc/items/7?q=1", null, null);
        assertThat(r.body()).contains("\"uri\":\"/base/items/7?q=1\"");
        Result root = call(HttpMethod.GET, "/svc", null, null);
        assertThat(root.body()).contains("\"uri\":\"/base/\"");
        Result other = call(HttpMethod.GET, "/svcx", null, null);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body()).contains("ROUTE_NOT_FOUND");
    }

    @Test
    void normalizes_the_path_before_routing_so_dot_segments_cannot_escape_a_route() throws Exception {
        gw = TestGateway.start(vertx, dir, """
                listeners:
                  - {name: http, port: 0, host: 127.0.0.1}
                upstreams:
                  up: {targets: ["%s"]}
                routes:
                  - {id: public, path: /public, upstream: up, public: true}
                access_log: {enabled: false}
                """.formatted(upstream.url()));
        RawHttp.Response escaped =
                RawHttp.exchange(gw.port(), "GET /public/../admin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(escaped.status()).isEqualTo(404);
        RawHttp.Response encoded = RawHttp.exchange(
                gw.port(), "GET /public/%2e%2e/admin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(encoded.status()).isEqualTo(404);
        RawHttp.Response slash =
                RawHttp.exchange(gw.port(), "GET /public%2fx HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.body()).contains("BAD_REQUEST");
        RawHttp.Response fine =
                RawHttp.exchange(gw.port(), "GET /public/a/./b/../c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(fine.status()).isEqualTo(200);
        assertThat(fine.body()).contains("\"uri\":\"/public/a/c\"");
    }

    @Test
    void hides_upstream_5xx_bodies_when_configured() throws Exception {
        upstream.on(
                "/boom",
                req -> req.response()
                        .setStatusCode(500)
                        .end("java.lang.NullPointerException at com.acme.Secret.method(Secret.java:42)"));
        gateway("hide_upstream_errors: true");
        Result r = call(HttpMethod.GET, "/boom", null, null);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("NullPointerException").contains("UPSTREAM_SERVER_ERROR");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void passes_upstream_5xx_bodies_by_default() throws Exception {
        upstream.on("/boom", req -> req.response().setStatusCode(503).end("maintenance"));
        gateway("");
        Result r = call(HttpMethod.GET, "/boom", null, null);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("maintenance");
    }

    @Test
    void answers_502_when_the_upstream_is_down() throws Exception {
        int deadPort;
        try (var s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        gw = TestGateway.start(vertx, dir, TestGateway.simpleConfig("http://127.0.0.1:" + deadPort, "", ""));
        Result r = call(HttpMethod.GET, "/", null, null);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("UPSTREAM_UNAVAILABLE").contains("\"request_id\"");
    }

    @Test
    void answers_504_when_the_upstream_is_slow() throws Exception {
        upstream.on("/slow", req -> vertx.setTimer(5000, id -> req.response().end("late")));
        gateway("");
        long start = System.nanoTime();
        Result r = call(HttpMethod.GET, "/slow", null, null);
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.body()).contains("UPSTREAM_TIMEOUT");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4500);
    }

    @Test
    void resolves_conflicting_framing_headers_so_nothing_is_smuggled_upstream() throws Exception {
        gateway("");
        // RFC 9112 section 6.3: Transfer-Encoding wins and Content-Length is removed before forwarding, so the
        // upstream sees one unambiguous framing and the "smuggled" request is parsed by the gateway as its own.
        RawHttp.Response r = RawHttp.exchange(
                gw.port(),
                "POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        TestUpstream.Seen first = upstream.next();
        assertThat(first.uri()).isEqualTo("/first");
        assertThat(first.headers().contains("Content-Length")).isFalse();
        assertThat(first.bodyBytes()).isZero();
        assertThat(upstream.next().uri()).isEqualTo("/second");
    }

    @Test
    void refuses_h2c_upgrades_so_they_cannot_smuggle_requests() throws Exception {
        gateway("");
        RawHttp.Response r = RawHttp.exchange(
                gw.port(),
                "GET /h2c HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nX-End: 1\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        // the status line, not the text: a random X-Request-Id may contain "101"
        assertThat(r.text()).doesNotContain("HTTP/1.1 101");
        MultiMap seen = upstream.next().headers();
        assertThat(seen.contains("Upgrade")).isFalse();
        assertThat(seen.contains("HTTP2-Settings")).isFalse();
    }
}
