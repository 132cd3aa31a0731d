package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bulwark.demo.SelfSignedCertificate;
import io.bulwark.policies.TestPki;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS over real sockets, as an attacker would probe it: no certificate, a certificate from another CA, a
 * revoked or expired one, a token bound to someone else's certificate. Four HTTPS listeners serve the same routes:
 * client certificates required, optional, required without a CRL, and not asked for at all.
 */
class MtlsIntegrationTest {
    static final String ISSUER = "https://issuer.example.com";
    static final String AUDIENCE = "orders-api";

    static Vertx vertx;
    static TestUpstream upstream;
    static TestGateway gw;
    static ECKey signingKey;
    static Path serverCert;
    static Path accessLog;

    static TestPki.Issued ca;
    static TestPki.Issued clientA;
    static TestPki.Issued clientB;
    static TestPki.Issued revoked;
    static TestPki.Issued foreign;
    static TestPki.Issued expired;
    static final List<HttpClientAgent> clients = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = TestUpstream.start(vertx);
        serverCert = dir.resolve("server.pem");
        SelfSignedCertificate.generateIfAbsent(
                serverCert, dir.resolve("server-key.pem"), Duration.ofDays(1), List.of("localhost", "127.0.0.1"));

        ca = TestPki.ca("CN=Bulwark Test Clients CA,O=Acme");
        TestPki.Issued otherCa = TestPki.ca("CN=Bulwark Test Clients CA,O=Acme");
        clientA = TestPki.client(ca, "CN=client-a,O=Acme", TestPki.uri("spiffe://acme/client-a"));
        clientB = TestPki.client(ca, "CN=client-b,O=Acme");
        revoked = TestPki.client(ca, "CN=client-r,O=Acme");
        // Same subject as a good certificate, signed by a CA with the same name: only the signature tells them apart.
        foreign = TestPki.client(otherCa, "CN=client-a,O=Acme", TestPki.uri("spiffe://acme/client-a"));
        Instant now = Instant.now();
        expired = TestPki.client(ca, "CN=client-e,O=Acme", now.minus(Duration.ofDays(10)), now.minusSeconds(3600));
        TestPki.write(dir.resolve("ca.pem"), TestPki.pemOf(ca.certificate()));
        TestPki.write(dir.resolve("crl.pem"), TestPki.crl(ca, revoked.serial()));
        for (var e : Map.of("a", clientA, "b", clientB, "r", revoked, "f", foreign, "e", expired)
                .entrySet()) {
            e.getValue().writeTo(dir, "client-" + e.getKey());
        }

        signingKey = new ECKeyGenerator(Curve.P_256).generate();
        TestPki.write(
                dir.resolve("jwt.pem"),
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(signingKey.toECPublicKey().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        accessLog = dir.resolve("access.log");

        gw = TestGateway.start(vertx, dir, """
                listeners:
                  - {name: required, protocol: https, host: 127.0.0.1, port: 0,
                     tls: {certificate: server.pem, key: server-key.pem,
                           client_auth: {mode: required, trusted_ca: ca.pem, crl: crl.pem}}}
                  - {name: optional, protocol: https, host: 127.0.0.1, port: 0,
                     tls: {certificate: server.pem, key: server-key.pem,
                           client_auth: {mode: optional, trusted_ca: ca.pem, crl: crl.pem}}}
                  - {name: no-crl, protocol: https, host: 127.0.0.1, port: 0,
                     tls: {certificate: server.pem, key: server-key.pem,
                           client_auth: {mode: required, trusted_ca: ca.pem}}}
                  - {name: no-client-auth, protocol: https, host: 127.0.0.1, port: 0,
                     tls: {certificate: server.pem, key: server-key.pem}}
                upstreams:
                  up: {targets: ["%s"]}
                routes:
                  - id: mtls
                    path: /mtls
                    upstream: up
                    policies:
                      - mtls: {consumer_from: subject_cn, scopes: [orders:read]}
                  - id: partners
                    path: /partners
                    upstream: up
                    policies:
                      - mtls: {consumer_from: san_uri, allowed_sans: ["URI:spiffe://acme/client-a"]}
                  - id: bound
                    path: /bound
                    upstream: up
                    policies:
                      - jwt: {public_keys: [jwt.pem], issuer: "%s", audiences: [%s]}
                  - id: strict
                    path: /strict
                    upstream: up
                    policies:
                      - jwt: {public_keys: [jwt.pem], issuer: "%s", audiences: [%s], certificate_binding: required}
                access_log: {output: access.log}
                """.formatted(upstream.url(), ISSUER, AUDIENCE, ISSUER, AUDIENCE));
    }

    @AfterAll
    static void stop() throws Exception {
        for (HttpClientAgent c : clients) {
            c.close().await();
        }
        gw.close();
        upstream.close();
        vertx.close().await();
    }

    /** A client that trusts the gateway and presents {@code cert} (null: no certificate). */
    static HttpClientAgent client(String cert) {
        HttpClientOptions o = new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(serverCert.toString()))
                .setConnectTimeout(5000);
        if (cert != null) {
            o.setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(dir.resolve("client-" + cert + ".pem").toString())
                    .setKeyPath(dir.resolve("client-" + cert + "-key.pem").toString()));
        }
        HttpClientAgent c = vertx.createHttpClient(o);
        clients.add(c);
        return c;
    }

    record Answer(int status, String body, String requestId) {}

    static Answer get(HttpClientAgent c, String listener, String path, String bearer) throws Exception {
        String requestId = UUID.randomUUID().toString().replace("-", "");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", requestId);
        if (bearer != null) {
            headers.add("Authorization", "Bearer " + bearer);
        }
        return c.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("localhost")
                        .setPort(gw.gateway.port(listener))
                        .setURI(path)
                        .setHeaders(headers))
                .compose(r -> r.send())
                .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString(), requestId)))
                .await(20, TimeUnit.SECONDS);
    }

    /** The consumer the access log recorded for a request (the log is written in the background). */
    static String loggedConsumer(String requestId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(accessLog)) {
                for (String line : Files.readAllLines(accessLog, StandardCharsets.UTF_8)) {
                    if (line.contains("\"request_id\":\"" + requestId + "\"")) {
                        int i = line.indexOf("\"consumer\":");
                        String rest = line.substring(i + "\"consumer\":".length());
                        return rest.startsWith("null") ? null : rest.substring(1, rest.indexOf('"', 1));
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line for " + requestId);
    }

    static String token(X509Certificate boundTo) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("user-1")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        if (boundTo != null) {
            String x5t = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(boundTo.getEncoded()));
            claims.claim("cnf", Map.of("x5t#S256", x5t));
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("jwt.pem").build(), claims.build());
        jwt.sign(new ECDSASigner(signingKey));
        return jwt.serialize();
    }

    static void assertRefusedAtTls(String cert, String listener) {
        assertThatThrownBy(() -> get(client(cert), listener, "/mtls", null))
                .as("client certificate %s on listener %s", cert, listener)
                .isNotNull();
        assertThat(upstream.pending()).isZero();
    }

    // ---- the handshake

    @Test
    void good_certificate_reaches_the_upstream_with_its_consumer_id() throws Exception {
        Answer a = get(client("a"), "required", "/mtls/orders", null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(upstream.next().uri()).isEqualTo("/mtls/orders");
        assertThat(loggedConsumer(a.requestId())).isEqualTo("client-a");
        // The same certificate on the listener where it is optional.
        Answer b = get(client("b"), "optional", "/mtls", null);
        assertThat(b.status()).isEqualTo(200);
        upstream.next();
        assertThat(loggedConsumer(b.requestId())).isEqualTo("client-b");
    }

    @Test
    void reads_the_certificate_of_an_http2_connection() throws Exception {
        HttpClientOptions o = new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setTrustOptions(new PemTrustOptions().addCertPath(serverCert.toString()))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(dir.resolve("client-a.pem").toString())
                        .setKeyPath(dir.resolve("client-a-key.pem").toString()));
        HttpClientAgent h2 = vertx.createHttpClient(o);
        clients.add(h2);
        for (int i = 0; i < 2; i++) {
            // Two streams on one connection: each exchange reads the connection's certificate.
            Answer a = get(h2, "required", "/mtls", null);
            assertThat(a.status()).isEqualTo(200);
            upstream.next();
            assertThat(loggedConsumer(a.requestId())).isEqualTo("client-a");
        }
    }

    @Test
    void refuses_a_connection_without_a_certificate_when_required() throws Exception {
        assertRefusedAtTls(null, "required");
        // TLS 1.2 makes the refusal visible in the handshake itself (TLS 1.3 reports it on the first read).
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry(
                "server",
                java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(Files.newInputStream(serverCert)));
        tmf.init(ts);
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", gw.gateway.port("required"))) {
            s.setSoTimeout(5000);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            // The server's alert, or the pipe it closed right after sending it.
            assertThatThrownBy(s::startHandshake).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void refuses_a_certificate_from_an_untrusted_ca_even_with_a_lookalike_name() {
        assertRefusedAtTls("f", "required");
        assertRefusedAtTls("f", "optional");
    }

    @Test
    void refuses_a_revoked_certificate_at_the_handshake() throws Exception {
        assertRefusedAtTls("r", "required");
        assertRefusedAtTls("r", "optional");
        // The control: the same certificate passes where no CRL is configured, so the CRL is what refused it.
        assertThat(get(client("r"), "no-crl", "/mtls", null).status()).isEqualTo(200);
        upstream.next();
    }

    @Test
    void refuses_an_expired_certificate_at_the_handshake() {
        assertRefusedAtTls("e", "required");
        assertRefusedAtTls("e", "optional");
    }

    // ---- the mtls policy

    @Test
    void optional_mode_without_a_certificate_gets_401_from_the_mtls_policy() throws Exception {
        Answer a = get(client(null), "optional", "/mtls", null);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).contains("MTLS_CERT_REQUIRED");
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void headers_that_other_proxies_use_to_pass_certificates_authenticate_nobody() throws Exception {
        MultiMap forged = MultiMap.caseInsensitiveMultiMap()
                .add("X-Client-Cert", TestPki.pemOf(clientA.certificate()).replace("\n", ""))
                .add("X-SSL-Client-Cert", "CN=client-a,O=Acme")
                .add("X-SSL-Client-S-DN", "CN=client-a,O=Acme")
                .add("X-SSL-Client-Verify", "SUCCESS")
                .add("X-Forwarded-Client-Cert", "Hash=abc;Subject=\"CN=client-a,O=Acme\"");
        int status = client(null)
                .request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("localhost")
                        .setPort(gw.gateway.port("optional"))
                        .setURI("/mtls")
                        .setHeaders(forged))
                .compose(r -> r.send())
                .compose(r -> r.body().map(b -> r.statusCode()))
                .await(20, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(401);
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void a_listener_without_client_auth_never_hands_a_certificate_to_the_mtls_policy() throws Exception {
        Answer a = get(client("a"), "no-client-auth", "/mtls", null);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).contains("MTLS_CERT_REQUIRED");
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void the_allow_list_refuses_a_trusted_certificate_with_403() throws Exception {
        Answer b = get(client("b"), "required", "/partners", null);
        assertThat(b.status()).isEqualTo(403);
        assertThat(b.body()).contains("MTLS_CERT_NOT_ALLOWED");
        assertThat(upstream.pending()).isZero();
        Answer a = get(client("a"), "required", "/partners", null);
        assertThat(a.status()).isEqualTo(200);
        upstream.next();
        assertThat(loggedConsumer(a.requestId())).isEqualTo("spiffe://acme/client-a");
    }

    // ---- certificate-bound tokens (RFC 8705)

    @Test
    void a_token_bound_to_certificate_a_is_refused_with_certificate_b() throws Exception {
        String bound = token(clientA.certificate());
        Answer b = get(client("b"), "required", "/bound", bound);
        assertThat(b.status()).isEqualTo(401);
        assertThat(b.body()).contains("JWT_CERT_BINDING");
        Answer none = get(client(null), "optional", "/bound", bound);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body()).contains("JWT_CERT_BINDING");
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void a_bound_token_with_its_certificate_is_accepted() throws Exception {
        Answer a = get(client("a"), "required", "/bound", token(clientA.certificate()));
        assertThat(a.status()).isEqualTo(200);
        upstream.next();
        assertThat(loggedConsumer(a.requestId())).isEqualTo("user-1");
        // An unbound token is still fine where binding is only enforced when present.
        assertThat(get(client(null), "optional", "/bound", token(null)).status())
                .isEqualTo(200);
        upstream.next();
    }

    @Test
    void certificate_binding_required_refuses_an_unbound_token() throws Exception {
        Answer a = get(client("a"), "required", "/strict", token(null));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).contains("JWT_CERT_BINDING");
        assertThat(upstream.pending()).isZero();
        assertThat(get(client("a"), "required", "/strict", token(clientA.certificate()))
                        .status())
                .isEqualTo(200);
        upstream.next();
    }
}
