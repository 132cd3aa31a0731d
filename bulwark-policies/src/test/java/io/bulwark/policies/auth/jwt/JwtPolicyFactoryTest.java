package io.bulwark.policies.auth.jwt;

import static io.bulwark.policies.TestExchange.decided;
import static io.bulwark.policies.auth.jwt.JwtFixtures.EC;
import static io.bulwark.policies.auth.jwt.JwtFixtures.RSA;
import static io.bulwark.policies.auth.jwt.JwtFixtures.baseConfig;
import static io.bulwark.policies.auth.jwt.JwtFixtures.claims;
import static io.bulwark.policies.auth.jwt.JwtFixtures.pem;
import static io.bulwark.policies.auth.jwt.JwtFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.api.config.ConfigException;
import io.bulwark.policies.TestExchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtPolicyFactoryTest {
    @TempDir
    Path dir;

    private final JwtFixtures.MutableClock clock = new JwtFixtures.MutableClock();

    @BeforeEach
    void setUp() throws Exception {
        JwtFixtures.writeKeyFiles(dir);
    }

    private Policy create(Map<String, Object> config) throws ConfigException {
        return JwtFixtures.policy(config, dir, clock);
    }

    private String failure(Map<String, Object> config) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> create(config));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    private void assertAccepts(Policy policy, String token) {
        Decision d =
                decided(policy.onRequest(TestExchange.request("GET", "/").header("Authorization", "Bearer " + token)));
        assertThat(d).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void is_named_jwt_and_found_by_the_service_loader_constructor() {
        assertThat(new JwtPolicyFactory().name()).isEqualTo("jwt");
    }

    @Test
    void requires_a_key_source() {
        var config = baseConfig();
        config.remove("jwks_file");
        config.remove("public_keys");
        assertThat(failure(config)).contains("jwks_file").contains("public_keys");
    }

    @Test
    void refuses_hmac_and_none_algorithms() {
        for (String alg : List.of("HS256", "none", "hs512")) {
            var config = baseConfig();
            config.put("algorithms", List.of("RS256", alg));
            assertThat(failure(config)).contains("asymmetric algorithms only").contains("algorithms[1]");
        }
    }

    @Test
    void refuses_an_unknown_algorithm_with_a_suggestion() {
        var config = baseConfig();
        config.put("algorithms", List.of("RS265"));
        assertThat(failure(config)).contains("did you mean");
    }

    @Test
    void requires_issuer_and_audiences() {
        var noIssuer = baseConfig();
        noIssuer.remove("issuer");
        assertThat(failure(noIssuer)).contains("issuer");
        var noAudiences = baseConfig();
        noAudiences.remove("audiences");
        assertThat(failure(noAudiences)).contains("audiences");
        var emptyAudiences = baseConfig();
        emptyAudiences.put("audiences", List.of());
        assertThat(failure(emptyAudiences)).contains("audiences");
    }

    @Test
    void refuses_an_unknown_key_with_a_suggestion() {
        var config = baseConfig();
        config.put("audience", "x");
        assertThat(failure(config)).contains("unknown key 'audience'").contains("did you mean 'audiences'");
        var url = baseConfig();
        url.put("jwks_uri", "https://issuer.example.com/jwks");
        assertThat(failure(url)).contains("unknown key 'jwks_uri'").contains("did you mean 'jwks_url'");
    }

    @Test
    void refuses_a_bad_pem_file() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "not a key");
        Files.writeString(dir.resolve("bad.pem"), pem("PUBLIC KEY", new byte[] {1, 2, 3}));
        Files.writeString(
                dir.resolve("private.pem"),
                pem("PRIVATE KEY", RSA.toRSAPrivateKey().getEncoded()));
        for (String file : List.of("junk.pem", "bad.pem", "private.pem", "missing.pem")) {
            var config = baseConfig();
            config.put("public_keys", List.of(file));
            String message = failure(config);
            assertThat(message).contains("public_keys");
            assertThat(message)
                    .doesNotContain(java.util.Base64.getEncoder()
                            .encodeToString(RSA.toRSAPrivateKey().getEncoded())
                            .substring(0, 40));
        }
    }

    @Test
    void loads_rsa_and_ec_keys_from_pem_files_named_by_file_name() throws Exception {
        Files.writeString(
                dir.resolve("rsa.pem"), pem("PUBLIC KEY", RSA.toRSAPublicKey().getEncoded()));
        Files.writeString(
                dir.resolve("ec.pem"), pem("PUBLIC KEY", EC.toECPublicKey().getEncoded()));
        var config = baseConfig();
        config.remove("jwks_file");
        config.put("public_keys", List.of("rsa.pem", dir.resolve("ec.pem").toString()));
        Policy policy = create(config);
        assertAccepts(policy, sign(JWSAlgorithm.RS256, RSA, "rsa.pem", claims().build()));
        assertAccepts(policy, sign(JWSAlgorithm.ES256, EC, "ec.pem", claims().build()));
        assertAccepts(policy, sign(JWSAlgorithm.ES256, EC, null, claims().build()));
    }

    @Test
    void uses_only_the_public_part_of_a_private_jwks() throws Exception {
        Files.writeString(dir.resolve("private.json"), "{\"keys\":[" + RSA.toJSONString() + "]}");
        var config = baseConfig();
        config.put("jwks_file", "private.json");
        config.remove("public_keys");
        JwtPolicy policy = (JwtPolicy) create(config);
        assertAccepts(policy, sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build()));
    }

    @Test
    void refuses_symmetric_and_weak_keys_in_a_jwks() throws Exception {
        Files.writeString(
                dir.resolve("oct.json"),
                "{\"keys\":[" + new OctetSequenceKeyGenerator(256).generate().toJSONString() + "]}");
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        Files.writeString(
                dir.resolve("weak.json"), "{\"keys\":[" + weak.toPublicJWK().toJSONString() + "]}");
        Files.writeString(dir.resolve("junk.json"), "{\"keys\": 12");
        for (String file : List.of("oct.json", "weak.json", "junk.json")) {
            var config = baseConfig();
            config.put("jwks_file", file);
            config.remove("public_keys");
            assertThat(failure(config)).contains("jwks_file");
        }
    }

    @Test
    void refuses_keys_that_cannot_verify_any_allowed_algorithm() {
        var config = baseConfig();
        config.put("algorithms", List.of("ES384"));
        assertThat(failure(config)).contains("algorithms");
    }

    @Test
    void refuses_out_of_range_sizes_and_durations() {
        for (Map.Entry<String, Object> bad : List.of(
                Map.entry("max_token_bytes", (Object) "100KiB"),
                Map.entry("max_token_bytes", (Object) 10),
                Map.entry("clock_skew", (Object) "10m"),
                Map.entry("cache_size", (Object) (-1)),
                Map.entry("max_lifetime", (Object) "0s"))) {
            var config = baseConfig();
            config.put(bad.getKey(), bad.getValue());
            assertThat(failure(config)).contains(bad.getKey());
        }
    }

    @Test
    void refuses_an_ambiguous_or_invalid_token_source() {
        var both = baseConfig();
        both.put("token", Map.of("header", "X-Token", "cookie", "session"));
        assertThat(failure(both)).contains("token");
        var badName = baseConfig();
        badName.put("token", Map.of("header", "X Token"));
        assertThat(failure(badName)).contains("token.header");
        var unknown = baseConfig();
        unknown.put("token", Map.of("query", "access_token"));
        assertThat(failure(unknown)).contains("unknown key 'query'");
    }

    @Test
    void accepts_the_full_config() throws Exception {
        var config = baseConfig();
        config.put("algorithms", List.of("RS256", "ES256", "EdDSA", "PS256", "ES512"));
        config.put("clock_skew", "30s");
        config.put("max_lifetime", "1h");
        config.put("required_claims", List.of("sub"));
        config.put("consumer_claim", "client_id");
        config.put("token", Map.of("header", "Authorization"));
        config.put("max_token_bytes", "16KiB");
        config.put("cache_size", 100);
        assertAccepts(create(config), sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build()));
    }

    @Test
    void the_failure_message_never_shows_a_key() {
        var config = baseConfig();
        config.put("algorithms", List.of("HS256"));
        assertThatThrownBy(() -> create(config))
                .hasMessageNotContaining(RSA.getModulus().toString());
    }
}
