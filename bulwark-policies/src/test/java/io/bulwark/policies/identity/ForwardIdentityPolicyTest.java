package io.bulwark.policies.identity;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.Principal;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardIdentityPolicyTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r");

    private static Policy policy(Map<String, Object> config) throws ConfigException {
        return new ForwardIdentityPolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    private static Principal alice() {
        return new Principal(
                "app-1",
                "1",
                Set.of("orders:read", "admin"),
                Map.of(
                        "tenant",
                        "acme",
                        "roles",
                        List.of("a", "b"),
                        "nested",
                        Map.of("x", 1),
                        "evil",
                        "a\r\nX-Admin: 1"),
                "jwt",
                Instant.ofEpochSecond(1_700_000_000));
    }

    @Test
    void sets_headers_from_the_principal_and_drops_what_the_client_sent() throws Exception {
        Policy p = policy(Map.of(
                "headers",
                Map.of(
                        "X-User-Id", "subject",
                        "X-Consumer", "consumer",
                        "X-Scopes", "scopes",
                        "X-Tenant", "claim:tenant",
                        "X-Roles", "claim:roles",
                        "X-Auth-Time", "auth_time"),
                "remove",
                List.of("X-Internal-Role")));
        TestExchange ex =
                TestExchange.request("GET", "/").header("x-user-id", "2").header("X-Internal-Role", "admin");
        ex.attribute(Attributes.PRINCIPAL, alice());
        assertThat(decided(p.onRequest(ex))).isEqualTo(Decision.proceed());
        assertThat(ex.requestHeaders().getAll("X-User-Id")).containsExactly("1");
        assertThat(ex.requestHeaders().get("X-Consumer")).isEqualTo("app-1");
        assertThat(ex.requestHeaders().get("X-Scopes")).isEqualTo("admin orders:read");
        assertThat(ex.requestHeaders().get("X-Tenant")).isEqualTo("acme");
        assertThat(ex.requestHeaders().get("X-Roles")).isEqualTo("a,b");
        assertThat(ex.requestHeaders().get("X-Auth-Time")).isEqualTo("1700000000");
        assertThat(ex.requestHeaders().get("X-Internal-Role")).isNull();
    }

    @Test
    void an_anonymous_request_loses_the_spoofed_headers_and_gets_none() throws Exception {
        Policy p = policy(Map.of("headers", Map.of("X-User-Id", "subject")));
        TestExchange ex = TestExchange.request("GET", "/").header("X-User-Id", "3");
        decided(p.onRequest(ex));
        assertThat(ex.requestHeaders().get("X-User-Id")).isNull();
    }

    @Test
    void never_forwards_a_claim_that_could_split_a_header_or_has_no_header_form() throws Exception {
        Policy p = policy(
                Map.of("headers", Map.of("X-Evil", "claim:evil", "X-Nested", "claim:nested", "X-None", "claim:none")));
        TestExchange ex = TestExchange.request("GET", "/").header("X-Evil", "spoofed");
        ex.attribute(Attributes.PRINCIPAL, alice());
        decided(p.onRequest(ex));
        assertThat(ex.requestHeaders().get("X-Evil")).isNull();
        assertThat(ex.requestHeaders().get("X-Nested")).isNull();
        assertThat(ex.requestHeaders().get("X-None")).isNull();
        assertThat(ForwardIdentityPolicy.safe("x".repeat(1025))).isFalse();
        assertThat(ForwardIdentityPolicy.safe("caf\u00e9")).isFalse();
    }

    @Test
    void refuses_bad_config() {
        assertThatThrownBy(() -> policy(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("headers");
        assertThatThrownBy(() -> policy(Map.of("headers", Map.of()))).hasMessageContaining("at least one header");
        assertThatThrownBy(() -> policy(Map.of("headers", Map.of("X-User-Id", "password"))))
                .hasMessageContaining("claim:<name>");
        assertThatThrownBy(() -> policy(Map.of("headers", Map.of("Authorization", "subject"))))
                .hasMessageContaining("does not own");
        assertThatThrownBy(() -> policy(Map.of("headers", Map.of("Bad Header", "subject"))))
                .hasMessageContaining("HTTP header name");
        assertThatThrownBy(() -> policy(Map.of("headers", Map.of("X-A", "subject"), "surprise", 1)))
                .hasMessageContaining("surprise");
    }
}
