package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bulwark.demo.AcmeShopApi;
import io.bulwark.gateway.HttpCalls.Result;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity policies end to end, as an attacker meets them: the real sample API (with its BOLA and BFLA flaws)
 * behind a real gateway with its OpenAPI document, jwt, forward-identity, authz and step-up, in environment prod.
 */
class IdentityIntegrationTest {
    private static final String ISSUER = "https://issuer.test";

    @TempDir
    Path dir;

    Vertx vertx;
    HttpClientAgent client;
    HttpServer api;
    TestGateway gateway;
    ECKey key;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        api = AcmeShopApi.start(vertx, "127.0.0.1", 0).await();
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        Files.writeString(dir.resolve("shop.yaml"), AcmeShopApi.openApiYaml());
        String yaml = TestGateway.simpleConfig("http://127.0.0.1:" + api.actualPort(), "", "environment: prod")
                .replace("    public: true\n", """
                            openapi: shop.yaml
                            policies:
                              - jwt:
                                  jwks_file: jwks.json
                                  algorithms: [ES256]
                                  issuer: https://issuer.test
                                  audiences: [shop]
                              - forward-identity:
                                  headers: {X-User-Id: subject}
                              - authz:
                                  objects:
                                    - {name: own-accounts, operations: [listUserAccounts], path_param: userId}
                                    - {name: own-orders, operations: [getOrder], response_field: /ownerId, on_deny: 404}
                                  admin: {tags: [admin]}
                              - step-up:
                                  max_age: 5m
                        """);
        gateway = TestGateway.start(vertx, dir, yaml);
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
        api.close().await();
        vertx.close().await();
    }

    private String token(String sub, String scope, Instant authTime, String env) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("shop"))
                .subject(sub)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(30))))
                .claim("scope", scope)
                .claim("env", env);
        if (authTime != null) {
            b.claim("auth_time", authTime.getEpochSecond());
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), b.build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private String alice() throws Exception {
        return token("1", "users:read orders:read orders:write", Instant.now(), "prod");
    }

    private Result call(HttpMethod method, String uri, String token, String... headers) throws Exception {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        if (token != null) {
            h.add("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return HttpCalls.call(client, method, gateway.port(), uri, h, null);
    }

    @Test
    void the_owner_reads_her_order_and_another_users_order_is_answered_as_missing() throws Exception {
        Result own = call(HttpMethod.GET, "/api/v2/orders/1", alice());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()).contains("\"ownerId\":1");

        Result foreign = call(HttpMethod.GET, "/api/v2/orders/3", alice());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body())
                .contains("AUTHZ_OBJECT_NOT_FOUND")
                .contains("own-orders")
                .doesNotContain("GIANT-MAGNET");
    }

    @Test
    void a_spoofed_identity_header_is_replaced_and_a_foreign_path_id_refused() throws Exception {
        Result spoof = call(HttpMethod.GET, "/api/v2/users/2/accounts", alice(), "X-User-Id", "2");
        assertThat(spoof.status()).isEqualTo(403);
        assertThat(spoof.body()).contains("AUTHZ_OBJECT_DENIED").contains("own-accounts");
        Result own = call(HttpMethod.GET, "/api/v2/users/1/accounts", alice(), "X-User-Id", "2");
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()).contains("8400.50");
    }

    @Test
    void a_missing_scope_gets_403_with_an_rfc_6750_challenge() throws Exception {
        Result r = call(HttpMethod.GET, "/api/v2/orders/1", token("1", "users:read", Instant.now(), "prod"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("AUTHZ_INSUFFICIENT_SCOPE");
        assertThat(r.headers().get("WWW-Authenticate"))
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"orders:read\"");
    }

    @Test
    void admin_functions_refuse_customers_and_need_a_recent_login_from_admins() throws Exception {
        Result customer = call(HttpMethod.POST, "/api/v2/admin/users/2/disable", alice());
        assertThat(customer.status()).isEqualTo(403);

        String staleAdmin = token("3", "admin users:read", Instant.now().minus(Duration.ofMinutes(20)), "prod");
        Result stale = call(HttpMethod.POST, "/api/v2/admin/users/2/disable", staleAdmin);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.body()).contains("AUTH_STEP_UP_REQUIRED");
        assertThat(stale.headers().get("WWW-Authenticate"))
                .contains("error=\"insufficient_user_authentication\"")
                .contains("max_age=300");
        String noAuthTime = token("3", "admin", null, "prod");
        assertThat(call(HttpMethod.POST, "/api/v2/admin/users/2/disable", noAuthTime)
                        .status())
                .isEqualTo(401);

        Result fresh =
                call(HttpMethod.POST, "/api/v2/admin/users/2/disable", token("3", "admin", Instant.now(), "prod"));
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.body()).contains("\"status\":\"disabled\"");
    }

    @Test
    void a_token_for_another_environment_is_refused() throws Exception {
        Result r = call(HttpMethod.GET, "/api/v2/orders/1", token("1", "orders:read", Instant.now(), "staging"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("AUTH_ENVIRONMENT").contains("prod");
        assertThat(r.headers().get("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void undocumented_endpoints_stay_closed_even_with_a_valid_token() throws Exception {
        Result r = call(HttpMethod.GET, "/internal/debug", alice());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("AUTHZ_UNKNOWN_OPERATION");
        Result method = call(HttpMethod.DELETE, "/api/v2/orders/1", alice());
        assertThat(method.status()).isEqualTo(403);
    }

    @Test
    void no_token_and_a_token_in_the_query_string_are_refused() throws Exception {
        Result none = call(HttpMethod.GET, "/api/v2/orders", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().get("WWW-Authenticate")).startsWith("Bearer");
        Result query = call(HttpMethod.GET, "/api/v2/orders?access_token=" + alice(), null);
        assertThat(query.status()).isEqualTo(401);
        assertThat(query.body()).contains("AUTH_TOKEN_IN_QUERY").doesNotContain("eyJ");
    }
}
