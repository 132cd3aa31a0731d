package io.bulwark.policies.auth.jwt;

import static io.bulwark.policies.TestExchange.decided;
import static io.bulwark.policies.auth.jwt.JwtFixtures.AUDIENCE;
import static io.bulwark.policies.auth.jwt.JwtFixtures.EC;
import static io.bulwark.policies.auth.jwt.JwtFixtures.ED;
import static io.bulwark.policies.auth.jwt.JwtFixtures.NOW;
import static io.bulwark.policies.auth.jwt.JwtFixtures.OTHER_RSA;
import static io.bulwark.policies.auth.jwt.JwtFixtures.RSA;
import static io.bulwark.policies.auth.jwt.JwtFixtures.baseConfig;
import static io.bulwark.policies.auth.jwt.JwtFixtures.claims;
import static io.bulwark.policies.auth.jwt.JwtFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtPolicyTest {
    @TempDir
    Path dir;

    private final JwtFixtures.MutableClock clock = new JwtFixtures.MutableClock();
    private Policy policy;

    @BeforeEach
    void setUp() throws Exception {
        JwtFixtures.writeKeyFiles(dir);
        policy = JwtFixtures.policy(baseConfig(), dir, clock);
    }

    private static TestExchange bearer(String token) {
        return TestExchange.request("GET", "/orders").header("Authorization", "Bearer " + token);
    }

    private Decision run(TestExchange exchange) {
        return decided(policy.onRequest(exchange));
    }

    private Principal accepted(TestExchange exchange) {
        assertThat(run(exchange)).isInstanceOf(Decision.Proceed.class);
        Principal p = exchange.attribute(Attributes.PRINCIPAL).orElseThrow();
        assertThat(exchange.attribute(Attributes.CONSUMER_ID)).contains(p.consumerId());
        return p;
    }

    /** Asserts a 401 with this key and an invalid_token challenge, and that nothing echoes the token. */
    private static void assertInvalidToken(Decision d, ErrorKey key, String token) {
        Decision.Reject r = assertRejected(d, key);
        assertThat(r.headers().get("WWW-Authenticate"))
                .startsWith("Bearer realm=\"bulwark\", error=\"invalid_token\", error_description=\"");
        assertNoEcho(r, token);
    }

    private static Decision.Reject assertRejected(Decision d, ErrorKey key) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(key);
        assertThat(r.key().status()).isEqualTo(401);
        return r;
    }

    private static void assertNoEcho(Decision.Reject r, String token) {
        if (token == null || token.length() < 8) {
            return;
        }
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                assertThat(r.detail()).doesNotContain(part);
                assertThat(r.headers().get("WWW-Authenticate")).doesNotContain(part);
            }
        }
    }

    @Test
    void runs_in_the_authenticate_phase() {
        assertThat(policy.phase()).isEqualTo(Phase.AUTHENTICATE);
    }

    // ---- valid tokens

    @Test
    void accepts_rs256_and_publishes_the_principal() {
        String token = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().claim("scope", "orders:read  orders:write").build());
        TestExchange ex = bearer(token);
        Principal p = accepted(ex);
        assertThat(p.consumerId()).isEqualTo("user-1");
        assertThat(p.subject()).isEqualTo("user-1");
        assertThat(p.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
        assertThat(p.authMethod()).isEqualTo("jwt");
        assertThat(p.authTime()).isNull();
        assertThat(p.claims()).containsEntry("iss", JwtFixtures.ISSUER).containsKey("exp");
        // The token is forwarded upstream untouched.
        assertThat(ex.requestHeaders().get("Authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void accepts_es256_with_scp_list_and_auth_time() {
        JWTClaimsSet c = claims().claim("scp", List.of("a", "b"))
                .claim("auth_time", NOW.minusSeconds(30).getEpochSecond())
                .build();
        Principal p = accepted(bearer(sign(JWSAlgorithm.ES256, EC, "ec-1", c)));
        assertThat(p.scopes()).containsExactlyInAnyOrder("a", "b");
        assertThat(p.authTime()).isEqualTo(NOW.minusSeconds(30));
    }

    @Test
    void accepts_scp_as_a_string() {
        Principal p = accepted(bearer(sign(
                JWSAlgorithm.ES256, EC, "ec-1", claims().claim("scp", "x y").build())));
        assertThat(p.scopes()).containsExactlyInAnyOrder("x", "y");
    }

    @Test
    void accepts_eddsa_from_a_pem_key_named_by_file_name() {
        accepted(bearer(sign(JWSAlgorithm.EdDSA, ED, "ed.pem", claims().build())));
    }

    @Test
    void accepts_eddsa_without_kid() {
        accepted(bearer(sign(JWSAlgorithm.EdDSA, ED, null, claims().build())));
    }

    @Test
    void accepts_ps256_without_kid() {
        accepted(bearer(sign(JWSAlgorithm.PS256, RSA, null, claims().build())));
    }

    @Test
    void accepts_a_lower_case_scheme_and_several_spaces() {
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(TestExchange.request("GET", "/").header("Authorization", "bearer   " + token));
    }

    @Test
    void the_consumer_comes_from_the_configured_claim() throws Exception {
        var config = baseConfig();
        config.put("consumer_claim", "client_id");
        policy = JwtFixtures.policy(config, dir, clock);
        String withClient = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().claim("client_id", "app-7").build());
        assertThat(accepted(bearer(withClient)).consumerId()).isEqualTo("app-7");
        String withoutClient = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        assertThat(accepted(bearer(withoutClient)).consumerId()).isEqualTo("user-1");
    }

    // ---- where the token comes from

    @Test
    void rejects_a_request_without_token_with_a_bare_challenge() {
        Decision.Reject r = assertRejected(run(TestExchange.request("GET", "/")), JwtErrors.AUTH_MISSING);
        assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"bulwark\"");
    }

    @Test
    void rejects_a_non_bearer_scheme_as_invalid_request() {
        for (String value : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearertoken", "Bearer a b")) {
            Decision.Reject r = assertRejected(
                    run(TestExchange.request("GET", "/").header("Authorization", value)), JwtErrors.AUTH_MISSING);
            assertThat(r.headers().get("WWW-Authenticate"))
                    .startsWith("Bearer realm=\"bulwark\", error=\"invalid_request\"");
            assertThat(r.detail()).doesNotContain("dXNlcjpwYXNz");
        }
    }

    @Test
    void rejects_two_authorization_headers() {
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        TestExchange ex = bearer(token).header("Authorization", "Bearer " + token);
        assertRejected(run(ex), JwtErrors.AUTH_MISSING);
    }

    @Test
    void rejects_a_token_in_the_query_even_with_a_valid_header() {
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        for (String query :
                List.of("access_token=" + token, "a=1&access_token=x", "access%5Ftoken=x", "access_token")) {
            Decision.Reject r = assertRejected(run(bearer(token).query(query)), JwtErrors.AUTH_TOKEN_IN_QUERY);
            assertThat(r.headers().get("WWW-Authenticate")).contains("error=\"invalid_request\"");
            assertNoEcho(r, token);
        }
    }

    @Test
    void other_query_parameters_are_fine() {
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(bearer(token).query("my_access_token=1&access_tokens=2&x=access_token"));
    }

    @Test
    void reads_a_raw_token_from_a_custom_header() throws Exception {
        var config = baseConfig();
        config.put("token", Map.of("header", "X-Token"));
        policy = JwtFixtures.policy(config, dir, clock);
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(TestExchange.request("GET", "/").header("X-Token", token));
        // The Authorization header is not read in this mode.
        assertRejected(run(bearer(token)), JwtErrors.AUTH_MISSING);
    }

    @Test
    void reads_a_token_from_a_cookie() throws Exception {
        var config = baseConfig();
        config.put("token", Map.of("cookie", "session"));
        policy = JwtFixtures.policy(config, dir, clock);
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(TestExchange.request("GET", "/").header("Cookie", "theme=dark; session=" + token + "; x=1"));
        assertRejected(run(TestExchange.request("GET", "/").header("Cookie", "theme=dark")), JwtErrors.AUTH_MISSING);
        // Two cookies of the same name (one may be planted from a sibling domain) are refused.
        TestExchange twice = TestExchange.request("GET", "/").header("Cookie", "session=" + token + "; session=x");
        assertRejected(run(twice), JwtErrors.AUTH_MISSING);
    }

    // ---- malformed

    @Test
    void rejects_an_oversized_token_without_parsing_it() {
        String token = "a".repeat(100 * 1024);
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_MALFORMED, token);
    }

    @Test
    void rejects_garbage() {
        String valid = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        String[] parts = valid.split("\\.");
        for (String token : List.of(
                "garbage",
                "abc.def",
                parts[0] + "." + parts[1],
                "!!!.@@@.###",
                "e30.e30.e30.e30.e30",
                "..",
                parts[0] + ".%%%." + parts[2])) {
            assertInvalidToken(run(bearer(token)), JwtErrors.JWT_MALFORMED, token);
        }
    }

    @Test
    void rejects_a_signed_payload_that_is_not_a_valid_claim_set() throws JOSEException {
        for (String payload : List.of("[1,2]", "{\"exp\":\"tomorrow\",\"sub\":\"u\"}", "not json")) {
            JWSObject obj = new JWSObject(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), new Payload(payload));
            obj.sign(new RSASSASigner(RSA));
            String token = obj.serialize();
            Decision d = run(bearer(token));
            assertThat(d).isInstanceOf(Decision.Reject.class);
            assertThat(((Decision.Reject) d).key()).isIn(JwtErrors.JWT_MALFORMED, JwtErrors.JWT_CLAIMS_INVALID);
            assertInvalidToken(d, ((Decision.Reject) d).key(), token);
        }
    }

    // ---- algorithm attacks

    @Test
    void rejects_alg_none() {
        String header = Base64URL.encode("{\"alg\":\"none\"}").toString();
        String payload = claims().build().toPayload().toBase64URL().toString();
        for (String token : List.of(header + "." + payload + ".", header + "." + payload + ".c2ln")) {
            assertInvalidToken(run(bearer(token)), JwtErrors.JWT_ALG_NOT_ALLOWED, token);
        }
    }

    @Test
    void rejects_hs256_signed_with_the_rsa_public_key_as_secret() throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        jwt.sign(new MACSigner(RSA.toRSAPublicKey().getEncoded()));
        String token = jwt.serialize();
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_ALG_NOT_ALLOWED, token);
    }

    @Test
    void rejects_an_algorithm_outside_the_allow_list() throws Exception {
        var config = baseConfig();
        config.put("algorithms", List.of("ES256"));
        policy = JwtFixtures.policy(config, dir, clock);
        String token = sign(JWSAlgorithm.RS512, RSA, "rsa-1", claims().build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_ALG_NOT_ALLOWED, token);
        accepted(bearer(sign(JWSAlgorithm.ES256, EC, "ec-1", claims().build())));
    }

    @Test
    void rejects_rs512_by_default() {
        String token = sign(JWSAlgorithm.RS512, RSA, "rsa-1", claims().build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_ALG_NOT_ALLOWED, token);
    }

    @Test
    void rejects_an_es256_token_naming_an_rsa_key() {
        String token = sign(JWSAlgorithm.ES256, EC, "rsa-1", claims().build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_ALG_NOT_ALLOWED, token);
    }

    @Test
    void rejects_an_eddsa_token_naming_an_ec_key() {
        String token = sign(JWSAlgorithm.EdDSA, ED, "ec-1", claims().build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_ALG_NOT_ALLOWED, token);
    }

    @Test
    void rejects_an_unknown_kid() {
        String token = sign(JWSAlgorithm.RS256, RSA, "nope", claims().build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_KEY_UNKNOWN, token);
    }

    @Test
    void rejects_a_signature_by_another_key() {
        for (String kid : new String[] {"rsa-1", null}) {
            String token = sign(JWSAlgorithm.RS256, OTHER_RSA, kid, claims().build());
            assertInvalidToken(run(bearer(token)), JwtErrors.JWT_SIGNATURE_INVALID, token);
        }
    }

    @Test
    void rejects_a_tampered_payload() {
        String valid = sign(JWSAlgorithm.ES256, EC, "ec-1", claims().build());
        String[] parts = valid.split("\\.");
        String forged =
                claims().subject("admin").build().toPayload().toBase64URL().toString();
        String token = parts[0] + "." + forged + "." + parts[2];
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_SIGNATURE_INVALID, token);
    }

    @Test
    void rejects_a_truncated_signature() {
        String valid = sign(JWSAlgorithm.ES256, EC, "ec-1", claims().build());
        String token = valid.substring(0, valid.lastIndexOf('.') + 5);
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_SIGNATURE_INVALID, token);
    }

    // ---- claims

    @Test
    void rejects_an_expired_token() {
        String token = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().issueTime(Date.from(NOW.minusSeconds(600)))
                        .expirationTime(Date.from(NOW.minusSeconds(61)))
                        .build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_EXPIRED, token);
    }

    @Test
    void accepts_a_token_expired_within_the_skew() {
        String token = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().issueTime(Date.from(NOW.minusSeconds(600)))
                        .expirationTime(Date.from(NOW.minusSeconds(59)))
                        .build());
        accepted(bearer(token));
    }

    @Test
    void rejects_a_token_not_valid_yet() {
        String nbf = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build());
        assertInvalidToken(run(bearer(nbf)), JwtErrors.JWT_NOT_YET_VALID, nbf);
        String iat = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().issueTime(Date.from(NOW.plusSeconds(120))).build());
        assertInvalidToken(run(bearer(iat)), JwtErrors.JWT_NOT_YET_VALID, iat);
        String withinSkew = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build());
        accepted(bearer(withinSkew));
    }

    @Test
    void rejects_a_wrong_issuer() {
        String token = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().issuer("https://evil.example").build());
        Decision.Reject r = (Decision.Reject) run(bearer(token));
        assertInvalidToken(r, JwtErrors.JWT_ISSUER, token);
        assertThat(r.detail()).doesNotContain("evil");
        String none =
                sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().issuer(null).build());
        assertInvalidToken(run(bearer(none)), JwtErrors.JWT_ISSUER, none);
    }

    @Test
    void rejects_a_wrong_audience() {
        String token = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().audience(List.of("billing", "x")).build());
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_AUDIENCE, token);
        String none = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().audience((String) null).build());
        assertInvalidToken(run(bearer(none)), JwtErrors.JWT_AUDIENCE, none);
        accepted(bearer(sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().audience(List.of("x", AUDIENCE)).build())));
    }

    @Test
    void rejects_a_token_without_exp_or_sub() {
        String noExp = sign(
                JWSAlgorithm.RS256, RSA, "rsa-1", claims().expirationTime(null).build());
        assertInvalidToken(run(bearer(noExp)), JwtErrors.JWT_CLAIMS_INVALID, noExp);
        String noSub =
                sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().subject(null).build());
        assertInvalidToken(run(bearer(noSub)), JwtErrors.JWT_CLAIMS_INVALID, noSub);
    }

    @Test
    void rejects_claims_of_the_wrong_type() {
        String scope = sign(
                JWSAlgorithm.RS256, RSA, "rsa-1", claims().claim("scope", 42).build());
        assertInvalidToken(run(bearer(scope)), JwtErrors.JWT_CLAIMS_INVALID, scope);
        String authTime = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().claim("auth_time", "now").build());
        assertInvalidToken(run(bearer(authTime)), JwtErrors.JWT_CLAIMS_INVALID, authTime);
    }

    @Test
    void rejects_a_lifetime_over_the_maximum() throws Exception {
        var config = baseConfig();
        config.put("max_lifetime", "10m");
        policy = JwtFixtures.policy(config, dir, clock);
        String tooLong = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().expirationTime(Date.from(NOW.plusSeconds(3600))).build());
        assertInvalidToken(run(bearer(tooLong)), JwtErrors.JWT_LIFETIME, tooLong);
        String noIat = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().issueTime(null)
                        .expirationTime(Date.from(NOW.plusSeconds(3600)))
                        .build());
        assertInvalidToken(run(bearer(noIat)), JwtErrors.JWT_LIFETIME, noIat);
        accepted(bearer(sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build())));
    }

    @Test
    void rejects_a_missing_required_claim_naming_the_claim_only() throws Exception {
        var config = baseConfig();
        config.put("required_claims", List.of("tenant"));
        policy = JwtFixtures.policy(config, dir, clock);
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        Decision.Reject r = (Decision.Reject) run(bearer(token));
        assertInvalidToken(r, JwtErrors.JWT_CLAIM_MISSING, token);
        assertThat(r.detail()).contains("'tenant'");
        accepted(bearer(sign(
                JWSAlgorithm.RS256, RSA, "rsa-1", claims().claim("tenant", "t1").build())));
    }

    // ---- cache

    @Test
    void a_second_call_hits_the_cache() {
        JwtPolicy jwt = (JwtPolicy) policy;
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(bearer(token));
        accepted(bearer(token));
        assertThat(jwt.verifications.get()).isEqualTo(1);
    }

    @Test
    void a_cached_token_is_refused_after_exp() {
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(bearer(token));
        clock.set(NOW.plusSeconds(300 + 61));
        assertInvalidToken(run(bearer(token)), JwtErrors.JWT_EXPIRED, token);
        assertThat(((JwtPolicy) policy).verifications.get()).isEqualTo(1);
    }

    @Test
    void failures_are_not_cached_and_the_cache_can_be_disabled() throws Exception {
        String bad = sign(JWSAlgorithm.RS256, OTHER_RSA, "rsa-1", claims().build());
        run(bearer(bad));
        run(bearer(bad));
        assertThat(((JwtPolicy) policy).verifications.get()).isEqualTo(2);

        var config = baseConfig();
        config.put("cache_size", 0);
        policy = JwtFixtures.policy(config, dir, clock);
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        accepted(bearer(token));
        accepted(bearer(token));
        assertThat(((JwtPolicy) policy).verifications.get()).isEqualTo(2);
    }

    @Test
    void a_cached_token_publishes_the_same_principal() {
        String token = sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
        Principal first = accepted(bearer(token));
        Principal second = accepted(bearer(token));
        assertThat(second).isEqualTo(first);
        assertThat(second.scopes()).isEqualTo(Set.of());
    }

    @Test
    void a_token_with_a_far_future_exp_can_be_cached() {
        String token = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().expirationTime(Date.from(Instant.parse("9999-01-01T00:00:00Z")))
                        .build());
        accepted(bearer(token));
        accepted(bearer(token));
    }
}
