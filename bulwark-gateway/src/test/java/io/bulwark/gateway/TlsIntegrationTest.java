package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.demo.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS listener: TLS versions, ALPN HTTP/2, HSTS, and the HTTP to HTTPS redirect listener. */
class TlsIntegrationTest {
    static Vertx vertx;
    static TestUpstream upstream;
    static TestGateway gw;
    static Path cert;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // Let this JVM's client try old protocols, so that the refusal we observe is the gateway's.
        Security.setProperty("jdk.tls.disabledAlgorithms", "");
        vertx = Vertx.vertx();
        upstream = TestUpstream.start(vertx);
        cert = dir.resolve("cert.pem");
        SelfSignedCertificate.generateIfAbsent(
                cert, dir.resolve("key.pem"), Duration.ofDays(1), List.of("localhost", "127.0.0.1"));
        gw = TestGateway.start(vertx, dir, """
                listeners:
                  - {name: https, protocol: https, host: 127.0.0.1, port: 0,
                     tls: {certificate: cert.pem, key: key.pem}, hsts: {max_age: 1d, include_subdomains: false}}
                  - {name: redirect, protocol: redirect, host: 127.0.0.1, port: 0, redirect_port: 8443}
                upstreams:
                  up: {targets: ["%s"]}
                routes:
                  - {id: main, path: /, upstream: up, public: true}
                access_log: {enabled: false}
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        upstream.close();
        vertx.close().await();
    }

    private static HttpClientAgent client(boolean http2) {
        return vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(http2)
                .setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
                .setTrustOptions(new PemTrustOptions().addCertPath(cert.toString())));
    }

    private static io.vertx.core.http.HttpClientResponse get(HttpClientAgent c, String uri) throws Exception {
        return c.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("localhost")
                        .setPort(gw.gateway.port("https"))
                        .setURI(uri))
                .compose(r -> r.send())
                .compose(r -> r.body().map(b -> r))
                .await(20, TimeUnit.SECONDS);
    }

    @Test
    void serves_http2_through_alpn_with_hsts() throws Exception {
        var resp = get(client(true), "/x");
        assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.getHeader("Strict-Transport-Security")).isEqualTo("max-age=86400");
        assertThat(upstream.next().headers().get("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void serves_http1_over_tls() throws Exception {
        var resp = get(client(false), "/y");
        assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(resp.statusCode()).isEqualTo(200);
        upstream.next();
    }

    @Test
    void accepts_tls_1_2_and_1_3_and_refuses_older_versions() throws Exception {
        assertThat(handshake("TLSv1.3")).isEqualTo("TLSv1.3");
        assertThat(handshake("TLSv1.2")).isEqualTo("TLSv1.2");
        assertThatThrownBy(() -> handshake("TLSv1.1")).isInstanceOf(javax.net.ssl.SSLException.class);
        assertThatThrownBy(() -> handshake("TLSv1")).isInstanceOf(javax.net.ssl.SSLException.class);
    }

    private static String handshake(String protocol) throws Exception {
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", gw.gateway.port("https"))) {
            s.setSoTimeout(5000);
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }

    @Test
    void redirects_plain_http_to_https_with_308() throws Exception {
        RawHttp.Response r = RawHttp.exchange(
                gw.gateway.port("redirect"),
                "POST /orders?id=7 HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 0\r\n\r\n");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.text()).contains("location: https://shop.example.com:8443/orders?id=7");
        RawHttp.Response absolute = RawHttp.exchange(
                gw.gateway.port("redirect"), "GET http://evil.example/x HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
        assertThat(absolute.text()).doesNotContain("https://shop.example.com:8443http");
        RawHttp.Response badHost =
                RawHttp.exchange(gw.gateway.port("redirect"), "GET / HTTP/1.1\r\nHost: a\"b\r\n\r\n");
        assertThat(badHost.status()).isEqualTo(400);
        assertThat(upstream.pending()).isZero();
    }

    /** The test only checks protocol negotiation; trust is not the point here. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
