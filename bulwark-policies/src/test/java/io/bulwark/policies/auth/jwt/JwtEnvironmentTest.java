package io.bulwark.policies.auth.jwt;

import static io.bulwark.policies.TestExchange.decided;
import static io.bulwark.policies.auth.jwt.JwtFixtures.EC;
import static io.bulwark.policies.auth.jwt.JwtFixtures.claims;
import static io.bulwark.policies.auth.jwt.JwtFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import io.bulwark.policies.auth.AuthErrors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment segmentation: a token issued for staging must never open production. */
class JwtEnvironmentTest {
    @TempDir
    Path dir;

    private final JwtFixtures.MutableClock clock = new JwtFixtures.MutableClock();

    @BeforeEach
    void keys() throws Exception {
        JwtFixtures.writeKeyFiles(dir);
    }

    private Policy policy(String environment, Map<String, Object> config) throws ConfigException {
        return new JwtPolicyFactory(clock)
                .create(
                        ConfigNode.fromValue(config, "test.yaml"),
                        new PolicyContext(dir, "r1", List.of(), environment));
    }

    private Policy policy(String environment) throws ConfigException {
        Map<String, Object> config = JwtFixtures.baseConfig();
        config.put("audiences", List.of(JwtFixtures.AUDIENCE, "prod"));
        return policy(environment, config);
    }

    private static Decision run(Policy p, JWTClaimsSet claims) {
        String token = sign(JWSAlgorithm.ES256, EC, EC.getKeyID(), claims);
        return decided(p.onRequest(TestExchange.request("GET", "/").header("Authorization", "Bearer " + token)));
    }

    private static void assertEnvironmentRefused(Decision d, JWTClaimsSet claims) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isSameAs(AuthErrors.AUTH_ENVIRONMENT);
        assertThat(r.key().status()).isEqualTo(401);
        assertThat(r.detail()).contains("'prod'");
        assertThat(r.headers().get("WWW-Authenticate"))
                .startsWith("Bearer realm=\"bulwark\"")
                .contains("error=\"invalid_token\"")
                .contains("error_description=\"token issued for another environment\"");
        String token = sign(JWSAlgorithm.ES256, EC, EC.getKeyID(), claims);
        assertThat(r.detail() + r.headers()).doesNotContain(token).doesNotContain("staging");
    }

    @Test
    void refuses_a_staging_token_in_prod() throws Exception {
        JWTClaimsSet staging = claims().claim("env", "staging").build();
        assertEnvironmentRefused(run(policy("prod"), staging), staging);
    }

    @Test
    void accepts_a_prod_token_in_prod() throws Exception {
        assertThat(run(policy("prod"), claims().claim("env", "prod").build())).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void accepts_an_audience_naming_the_environment_when_the_token_has_no_env_claim() throws Exception {
        JWTClaimsSet c =
                claims().audience(List.of(JwtFixtures.AUDIENCE, "prod")).build();
        assertThat(run(policy("prod"), c)).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void an_env_claim_wins_over_the_audience() throws Exception {
        JWTClaimsSet c = claims().audience(List.of(JwtFixtures.AUDIENCE, "prod"))
                .claim("env", "staging")
                .build();
        assertEnvironmentRefused(run(policy("prod"), c), c);
    }

    @Test
    void refuses_a_token_with_neither_env_claim_nor_matching_audience() throws Exception {
        JWTClaimsSet c = claims().build();
        assertEnvironmentRefused(run(policy("prod"), c), c);
    }

    @Test
    void refuses_an_env_claim_of_another_type() throws Exception {
        JWTClaimsSet c = claims().claim("env", List.of("prod")).build();
        assertEnvironmentRefused(run(policy("prod"), c), c);
    }

    @Test
    void reads_the_configured_environment_claim() throws Exception {
        Map<String, Object> config = JwtFixtures.baseConfig();
        config.put("environment_claim", "deployment");
        Policy p = policy("prod", config);
        assertThat(run(
                        p,
                        claims().claim("deployment", "prod")
                                .claim("env", "staging")
                                .build()))
                .isInstanceOf(Decision.Proceed.class);
        JWTClaimsSet staging = claims().claim("deployment", "staging").build();
        assertEnvironmentRefused(run(p, staging), staging);
    }

    @Test
    void checks_nothing_without_an_environment() throws Exception {
        Policy p = policy(null);
        assertThat(run(p, claims().claim("env", "staging").build())).isInstanceOf(Decision.Proceed.class);
        assertThat(run(p, claims().build())).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void a_cached_token_is_still_refused() throws Exception {
        Policy p = policy("prod");
        JWTClaimsSet staging = claims().claim("env", "staging").build();
        assertEnvironmentRefused(run(p, staging), staging);
        assertEnvironmentRefused(run(p, staging), staging);
    }

    @Test
    void refuses_a_blank_environment_claim_in_config() {
        Map<String, Object> config = JwtFixtures.baseConfig();
        config.put("environment_claim", " ");
        Throwable t = catchThrowable(() -> policy("prod", config));
        assertThat(t).isInstanceOf(ConfigException.class).hasMessageContaining("environment_claim");
    }
}
