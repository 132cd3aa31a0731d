package io.bulwark.policies.stepup;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Operation;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.Principal;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepUpPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final Operation DISABLE_USER = new Operation(
            "disableUser",
            "POST",
            "/api/v2/admin/users/{userId}/disable",
            Set.of("admin"),
            List.of(Set.of("admin")),
            false,
            false,
            Map.of("x-bulwark-sensitive", true));
    private static final Operation CREATE_ORDER = new Operation(
            "createOrder",
            "POST",
            "/api/v2/orders",
            Set.of("orders"),
            List.of(Set.of("orders:write")),
            false,
            false,
            Map.of());
    private static final Operation GET_ORDER = new Operation(
            "getOrder",
            "GET",
            "/api/v2/orders/{orderId}",
            Set.of("orders"),
            List.of(Set.of("orders:read")),
            false,
            false,
            Map.of());
    private static final List<Operation> OPERATIONS = List.of(DISABLE_USER, CREATE_ORDER, GET_ORDER);

    private static final String MAX_AGE_CHALLENGE = "Bearer error=\"insufficient_user_authentication\","
            + " error_description=\"More recent authentication is required\", max_age=300";

    private static Policy policy(Map<String, Object> config) throws ConfigException {
        return policy(config, OPERATIONS);
    }

    private static Policy policy(Map<String, Object> config, List<Operation> operations) throws ConfigException {
        return new StepUpPolicyFactory(CLOCK)
                .create(
                        ConfigNode.fromValue(config, "bulwark.yaml"),
                        new PolicyContext(Path.of("."), "r1", operations, null));
    }

    private static String failure(Map<String, Object> config, List<Operation> operations) {
        Throwable t = catchThrowable(() -> policy(config, operations));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    private static Principal user(Instant authTime, Map<String, Object> claims) {
        return new Principal("alice", "alice", Set.of("admin"), claims, "jwt", authTime);
    }

    private static TestExchange call(Operation op, Principal principal) {
        TestExchange ex = TestExchange.request(op.method(), op.pathTemplate());
        ex.attribute(Attributes.OPERATION, new OperationMatch(op, Map.of()));
        if (principal != null) {
            ex.attribute(Attributes.PRINCIPAL, principal);
        }
        return ex;
    }

    private static Decision.Reject stepUp(Decision d) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(StepUpErrors.AUTH_STEP_UP_REQUIRED);
        assertThat(r.key().status()).isEqualTo(401);
        return r;
    }

    @Test
    void is_named_step_up_and_authorizes() throws Exception {
        assertThat(new StepUpPolicyFactory().name()).isEqualTo("step-up");
        assertThat(policy(Map.of("max_age", "5m")).phase()).isEqualTo(Phase.AUTHORIZE);
    }

    @Test
    void rejects_an_auth_time_older_than_max_age_with_the_exact_rfc9470_challenge() throws Exception {
        Decision d = decided(policy(Map.of("max_age", "5m"))
                .onRequest(call(DISABLE_USER, user(NOW.minus(Duration.ofMinutes(6)), Map.of()))));
        Decision.Reject r = stepUp(d);
        assertThat(r.headers()).containsExactly(Map.entry("WWW-Authenticate", MAX_AGE_CHALLENGE));
        assertThat(r.detail()).isEqualTo("more recent authentication is required for this operation");
    }

    @Test
    void accepts_a_recent_authentication() throws Exception {
        Decision d = decided(policy(Map.of("max_age", "5m"))
                .onRequest(call(DISABLE_USER, user(NOW.minus(Duration.ofMinutes(4)), Map.of()))));
        assertThat(d).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void requires_step_up_when_auth_time_is_unknown() throws Exception {
        Decision d = decided(policy(Map.of("max_age", "5m")).onRequest(call(DISABLE_USER, user(null, Map.of()))));
        assertThat(stepUp(d).headers()).containsEntry("WWW-Authenticate", MAX_AGE_CHALLENGE);
    }

    @Test
    void does_not_believe_an_auth_time_in_the_future() throws Exception {
        Decision d = decided(policy(Map.of("max_age", "5m"))
                .onRequest(call(DISABLE_USER, user(NOW.plus(Duration.ofDays(365)), Map.of()))));
        stepUp(d);
    }

    @Test
    void rejects_a_wrong_acr_and_lists_the_accepted_values() throws Exception {
        Policy p = policy(Map.of("acr_values", List.of("urn:acme:mfa", "urn:acme:hwk")));
        Decision d = decided(p.onRequest(call(DISABLE_USER, user(NOW, Map.of("acr", "urn:acme:pwd")))));
        assertThat(stepUp(d).headers())
                .containsExactly(Map.entry(
                        "WWW-Authenticate",
                        "Bearer error=\"insufficient_user_authentication\","
                                + " error_description=\"A different authentication level is required\","
                                + " acr_values=\"urn:acme:mfa urn:acme:hwk\""));
        stepUp(decided(p.onRequest(call(DISABLE_USER, user(NOW, Map.of())))));
        stepUp(decided(p.onRequest(call(DISABLE_USER, user(NOW, Map.of("acr", List.of("urn:acme:mfa")))))));
    }

    @Test
    void accepts_the_right_acr_and_a_recent_login_and_challenges_with_both_requirements() throws Exception {
        Policy p = policy(Map.of("max_age", "300s", "acr_values", "urn:acme:mfa"));
        Decision ok =
                decided(p.onRequest(call(DISABLE_USER, user(NOW.minusSeconds(10), Map.of("acr", "urn:acme:mfa")))));
        assertThat(ok).isInstanceOf(Decision.Proceed.class);
        Decision old =
                decided(p.onRequest(call(DISABLE_USER, user(NOW.minusSeconds(301), Map.of("acr", "urn:acme:mfa")))));
        assertThat(stepUp(old).headers())
                .containsEntry(
                        "WWW-Authenticate",
                        "Bearer error=\"insufficient_user_authentication\","
                                + " error_description=\"More recent authentication is required\", max_age=300,"
                                + " acr_values=\"urn:acme:mfa\"");
    }

    @Test
    void leaves_operations_that_are_not_sensitive_alone() throws Exception {
        Policy p = policy(Map.of("max_age", "5m"));
        assertThat(decided(p.onRequest(call(GET_ORDER, user(null, Map.of()))))).isInstanceOf(Decision.Proceed.class);
        assertThat(decided(p.onRequest(TestExchange.request("GET", "/unmatched"))))
                .isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void guards_operations_listed_in_config() throws Exception {
        Policy p = policy(Map.of("max_age", "5m", "operations", List.of("createOrder")));
        stepUp(decided(p.onRequest(call(CREATE_ORDER, user(null, Map.of())))));
        stepUp(decided(p.onRequest(call(DISABLE_USER, user(null, Map.of())))));
    }

    @Test
    void guards_every_request_of_a_route_without_spec() throws Exception {
        Policy p = policy(Map.of("max_age", "5m"), List.of());
        TestExchange ex = TestExchange.request("POST", "/transfer");
        ex.attribute(Attributes.PRINCIPAL, user(null, Map.of()));
        stepUp(decided(p.onRequest(ex)));
    }

    @Test
    void rejects_a_sensitive_request_without_principal() throws Exception {
        Decision d = decided(policy(Map.of("max_age", "5m")).onRequest(call(DISABLE_USER, null)));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        assertThat(((Decision.Reject) d).key()).isEqualTo(StepUpErrors.AUTH_MISSING);
        assertThat(((Decision.Reject) d).headers()).containsExactly(Map.entry("WWW-Authenticate", "Bearer"));
    }

    @Test
    void requires_max_age_or_acr_values() {
        assertThat(failure(Map.of(), OPERATIONS)).contains("'max_age' (such as 5m) and/or 'acr_values'");
        assertThat(failure(Map.of("acr_values", List.of()), OPERATIONS)).contains("at least one acr value");
        assertThat(failure(Map.of("max_age", "0s"), OPERATIONS)).contains("from 1s to 30d");
        assertThat(failure(Map.of("acr_values", List.of("a b")), OPERATIONS)).contains("an acr value");
    }

    @Test
    void rejects_unknown_operations_with_suggestions() {
        assertThat(failure(Map.of("max_age", "5m", "operations", List.of("disableUsr")), OPERATIONS))
                .contains("operations[0]")
                .contains("did you mean 'disableUser'");
        assertThat(failure(Map.of("max_age", "5m", "operations", List.of("disableUser")), List.of()))
                .contains("without an OpenAPI document");
    }
}
