package io.bulwark.policies.authz;

import static io.bulwark.policies.TestExchange.decided;
import static io.bulwark.policies.authz.AuthzFixtures.CREATE_ORDER;
import static io.bulwark.policies.authz.AuthzFixtures.DISABLE_USER;
import static io.bulwark.policies.authz.AuthzFixtures.GET_HEALTH;
import static io.bulwark.policies.authz.AuthzFixtures.GET_ORDER;
import static io.bulwark.policies.authz.AuthzFixtures.GET_REPORT;
import static io.bulwark.policies.authz.AuthzFixtures.LIST_ORDERS;
import static io.bulwark.policies.authz.AuthzFixtures.LIST_USER_ACCOUNTS;
import static io.bulwark.policies.authz.AuthzFixtures.PURGE_CACHE;
import static io.bulwark.policies.authz.AuthzFixtures.principal;
import static io.bulwark.policies.authz.AuthzFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import io.bulwark.api.config.ConfigException;
import io.bulwark.policies.TestBody;
import io.bulwark.policies.TestExchange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthzPolicyTest {
    private static final Principal ALICE =
            principal("alice", Set.of("users:read", "orders:read", "orders:write"), Map.of("tenant", "acme"));

    private static Decision.Reject rejected(Decision d, ErrorKey key) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(key);
        return r;
    }

    private static void proceeds(Decision d) {
        assertThat(d).isInstanceOf(Decision.Proceed.class);
    }

    private static Policy policy(Map<String, Object> config) throws ConfigException {
        return AuthzFixtures.policy(config);
    }

    // ---- scopes

    @Test
    void runs_in_the_authorize_phase() throws Exception {
        assertThat(policy(Map.of()).phase()).isEqualTo(Phase.AUTHORIZE);
    }

    @Test
    void rejects_a_token_without_the_operation_scope_with_an_rfc6750_challenge() throws Exception {
        Principal reader = principal("bob", Set.of("orders:read"), Map.of());
        Decision d = decided(policy(Map.of()).onRequest(request(CREATE_ORDER, Map.of(), reader)));
        Decision.Reject r = rejected(d, AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE);
        assertThat(r.key().status()).isEqualTo(403);
        assertThat(r.headers())
                .containsEntry("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"orders:write\"");
        assertThat(r.detail()).contains("orders:write");
    }

    @Test
    void accepts_a_token_with_the_operation_scope() throws Exception {
        proceeds(decided(policy(Map.of()).onRequest(request(CREATE_ORDER, Map.of(), ALICE))));
    }

    @Test
    void accepts_any_fully_satisfied_security_alternative() throws Exception {
        Principal auditor = principal("carol", Set.of("reports:admin", "audit"), Map.of());
        proceeds(decided(policy(Map.of()).onRequest(request(GET_REPORT, Map.of("tenantId", "t1"), auditor))));
    }

    @Test
    void rejects_a_half_satisfied_alternative_and_asks_for_the_closest_one() throws Exception {
        Policy p = policy(Map.of(
                "operations",
                Map.of(
                        "getTenantReport",
                        Map.of(
                                "any_of",
                                List.of(
                                        List.of("reports:read", "reports:export"),
                                        List.of("reports:admin", "audit"))))));
        Principal half = principal("carol", Set.of("reports:admin"), Map.of());
        Decision d = decided(p.onRequest(request(GET_REPORT, Map.of("tenantId", "t1"), half)));
        assertThat(rejected(d, AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE).headers())
                .containsEntry(
                        "WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"audit reports:admin\"");
    }

    @Test
    void config_override_replaces_the_spec_scopes() throws Exception {
        Policy p = policy(Map.of("operations", Map.of("getOrder", Map.of("scopes", List.of("orders:read:own")))));
        rejected(
                decided(p.onRequest(request(GET_ORDER, Map.of("orderId", "1"), ALICE))),
                AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE);
        Principal own = principal("alice", Set.of("orders:read:own"), Map.of());
        proceeds(decided(p.onRequest(request(GET_ORDER, Map.of("orderId", "1"), own))));
    }

    @Test
    void config_override_any_of_accepts_either_alternative() throws Exception {
        Policy p = policy(Map.of(
                "operations", Map.of("listOrders", Map.of("any_of", List.of(List.of("a"), List.of("b", "c"))))));
        proceeds(decided(p.onRequest(request(LIST_ORDERS, Map.of(), principal("x", Set.of("b", "c"), Map.of())))));
        proceeds(decided(p.onRequest(request(LIST_ORDERS, Map.of(), principal("x", Set.of("a"), Map.of())))));
        rejected(
                decided(p.onRequest(request(LIST_ORDERS, Map.of(), principal("x", Set.of("c"), Map.of())))),
                AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE);
    }

    @Test
    void rejects_a_request_without_principal_with_a_bare_bearer_challenge() throws Exception {
        Decision d = decided(policy(Map.of()).onRequest(request(GET_ORDER, Map.of("orderId", "1"), null)));
        Decision.Reject r = rejected(d, AuthzErrors.AUTH_MISSING);
        assertThat(r.key().status()).isEqualTo(401);
        assertThat(r.headers()).containsExactly(Map.entry("WWW-Authenticate", "Bearer"));
    }

    @Test
    void rejects_even_a_public_operation_without_principal_since_authz_always_needs_authentication() throws Exception {
        rejected(decided(policy(Map.of()).onRequest(request(GET_HEALTH, Map.of(), null))), AuthzErrors.AUTH_MISSING);
    }

    @Test
    void denies_a_request_that_matched_no_operation_by_default() throws Exception {
        TestExchange shadow = TestExchange.request("GET", "/api/v2/internal/dump");
        shadow.attribute(Attributes.PRINCIPAL, ALICE);
        Decision.Reject r = rejected(decided(policy(Map.of()).onRequest(shadow)), AuthzErrors.AUTHZ_UNKNOWN_OPERATION);
        assertThat(r.key().status()).isEqualTo(403);
    }

    @Test
    void allows_unknown_operations_when_configured_but_still_requires_the_route_scopes() throws Exception {
        Policy p = policy(Map.of("unknown_operations", "allow", "scopes", List.of("internal")));
        TestExchange shadow = TestExchange.request("GET", "/api/v2/internal/dump");
        shadow.attribute(Attributes.PRINCIPAL, ALICE);
        rejected(decided(p.onRequest(shadow)), AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE);
        TestExchange allowed = TestExchange.request("GET", "/api/v2/internal/dump");
        allowed.attribute(Attributes.PRINCIPAL, principal("svc", Set.of("internal"), Map.of()));
        proceeds(decided(p.onRequest(allowed)));
    }

    @Test
    void route_without_spec_requires_its_scopes_on_every_request() throws Exception {
        Policy p = AuthzFixtures.policy(Map.of("scopes", List.of("billing")), List.of());
        TestExchange ex = TestExchange.request("POST", "/anything");
        ex.attribute(Attributes.PRINCIPAL, ALICE);
        Decision.Reject r = rejected(decided(p.onRequest(ex)), AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE);
        assertThat(r.headers())
                .containsEntry("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"billing\"");
        TestExchange ok = TestExchange.request("POST", "/anything");
        ok.attribute(Attributes.PRINCIPAL, principal("x", Set.of("billing"), Map.of()));
        proceeds(decided(p.onRequest(ok)));
    }

    // ---- claim rules

    private static Policy tenantPolicy() throws ConfigException {
        return policy(Map.of(
                "rules",
                List.of(
                        Map.of(
                                "name",
                                "same-tenant",
                                "when",
                                "operation.id == 'getTenantReport'",
                                "require",
                                "path.tenantId == claims.tenant"),
                        Map.of(
                                "name",
                                "admins",
                                "when",
                                "'admin' in operation.tags",
                                "require",
                                "'admin' in claims.roles"))));
    }

    private static Principal reporter(Object tenant) {
        return principal("dave", Set.of("reports:read"), tenant == null ? Map.of() : Map.of("tenant", tenant));
    }

    @Test
    void passes_a_rule_that_holds() throws Exception {
        proceeds(decided(tenantPolicy().onRequest(request(GET_REPORT, Map.of("tenantId", "acme"), reporter("acme")))));
    }

    @Test
    void rejects_another_tenants_path_by_rule_and_names_the_rule() throws Exception {
        Decision d =
                decided(tenantPolicy().onRequest(request(GET_REPORT, Map.of("tenantId", "globex"), reporter("acme"))));
        Decision.Reject r = rejected(d, AuthzErrors.AUTHZ_RULE_DENIED);
        assertThat(r.detail()).isEqualTo("rule 'same-tenant' denied the request");
    }

    @Test
    void rejects_a_numeric_claim_against_a_string_path_parameter() throws Exception {
        // tenant 42 (number) vs path "42" (string): no coercion, so no way to pass a rule through a type trick.
        rejected(
                decided(tenantPolicy().onRequest(request(GET_REPORT, Map.of("tenantId", "42"), reporter(42L)))),
                AuthzErrors.AUTHZ_RULE_DENIED);
    }

    @Test
    void rejects_a_list_claim_where_a_string_is_expected() throws Exception {
        rejected(
                decided(tenantPolicy()
                        .onRequest(request(GET_REPORT, Map.of("tenantId", "acme"), reporter(List.of("acme"))))),
                AuthzErrors.AUTHZ_RULE_DENIED);
    }

    @Test
    void rejects_when_the_claim_is_missing() throws Exception {
        rejected(
                decided(tenantPolicy().onRequest(request(GET_REPORT, Map.of("tenantId", "acme"), reporter(null)))),
                AuthzErrors.AUTHZ_RULE_DENIED);
    }

    @Test
    void rejects_a_string_roles_claim_that_merely_contains_admin() throws Exception {
        Principal sneaky = principal("eve", Set.of("admin"), Map.of("roles", "not-admin"));
        rejected(
                decided(tenantPolicy().onRequest(request(DISABLE_USER, Map.of("userId", "1"), sneaky))),
                AuthzErrors.AUTHZ_RULE_DENIED);
        Principal admin = principal("root", Set.of("admin"), Map.of("roles", List.of("admin")));
        proceeds(decided(tenantPolicy().onRequest(request(DISABLE_USER, Map.of("userId", "1"), admin))));
    }

    @Test
    void skips_a_rule_whose_when_does_not_hold() throws Exception {
        proceeds(decided(tenantPolicy().onRequest(request(GET_ORDER, Map.of("orderId", "1"), ALICE))));
    }

    @Test
    void reads_headers_and_query_but_not_a_repeated_one() throws Exception {
        Policy p = policy(Map.of(
                "unknown_operations",
                "allow",
                "rules",
                List.of(Map.of(
                        "name",
                        "tenant-header",
                        "require",
                        "header.X-Tenant-Id == claims.tenant and query.tenant == claims.tenant"))));
        TestExchange ok = request(LIST_ORDERS, Map.of(), ALICE)
                .header("x-tenant-id", "acme")
                .query("tenant=ac%6De");
        proceeds(decided(p.onRequest(ok)));
        TestExchange polluted = request(LIST_ORDERS, Map.of(), ALICE)
                .header("X-Tenant-Id", "acme")
                .query("tenant=acme&tenant=globex");
        rejected(decided(p.onRequest(polluted)), AuthzErrors.AUTHZ_RULE_DENIED);
        TestExchange twoHeaders = request(LIST_ORDERS, Map.of(), ALICE)
                .header("X-Tenant-Id", "acme")
                .header("X-Tenant-Id", "globex")
                .query("tenant=acme");
        rejected(decided(p.onRequest(twoHeaders)), AuthzErrors.AUTHZ_RULE_DENIED);
    }

    // ---- objects (BOLA)

    private static Policy objectPolicy() throws ConfigException {
        return policy(Map.of(
                "objects",
                List.of(
                        Map.of(
                                "name",
                                "own-accounts",
                                "operations",
                                List.of("listUserAccounts"),
                                "path_param",
                                "userId"),
                        Map.of(
                                "name",
                                "own-orders",
                                "operations",
                                List.of("getOrder", "listOrders"),
                                "response_field",
                                "/ownerId",
                                "on_deny",
                                404),
                        Map.of(
                                "name",
                                "order-for-self",
                                "operations",
                                List.of("createOrder"),
                                "request_field",
                                "/customer/id"))));
    }

    @Test
    void rejects_another_users_id_in_the_path() throws Exception {
        Decision d = decided(objectPolicy().onRequest(request(LIST_USER_ACCOUNTS, Map.of("userId", "bob"), ALICE)));
        Decision.Reject r = rejected(d, AuthzErrors.AUTHZ_OBJECT_DENIED);
        assertThat(r.key().status()).isEqualTo(403);
        assertThat(r.detail()).isEqualTo("rule 'own-accounts' denied access to this object");
        proceeds(decided(objectPolicy().onRequest(request(LIST_USER_ACCOUNTS, Map.of("userId", "alice"), ALICE))));
    }

    private static TestExchange response(Policy p, io.bulwark.api.Operation op, Map<String, String> params, int status)
            throws Exception {
        TestExchange ex = request(op, params, ALICE).header("Content-Type", "application/json");
        proceeds(decided(p.onRequest(ex)));
        ex.respond(status);
        return ex;
    }

    @Test
    void rejects_a_response_object_owned_by_someone_else_as_not_found() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex = response(p, GET_ORDER, Map.of("orderId", "7"), 200);
        assertThat(p.inspectsResponseBody(ex)).isTrue();
        Decision d = p.onResponseBody(ex, TestBody.json("{\"id\":\"7\",\"ownerId\":\"bob\"}"));
        Decision.Reject r = rejected(d, AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        assertThat(r.key().status()).isEqualTo(404);
        assertThat(r.detail())
                .isEqualTo("rule 'own-orders' denied access to this object")
                .doesNotContain("bob");
        proceeds(p.onResponseBody(ex, TestBody.json("{\"id\":\"7\",\"ownerId\":\"alice\"}")));
    }

    @Test
    void rejects_an_array_with_one_foreign_element() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex = response(p, LIST_ORDERS, Map.of(), 200);
        rejected(
                p.onResponseBody(
                        ex, TestBody.json("[{\"ownerId\":\"alice\"},{\"ownerId\":\"bob\"},{\"ownerId\":\"alice\"}]")),
                AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        rejected(
                p.onResponseBody(ex, TestBody.json("[{\"ownerId\":\"alice\"},{\"id\":3}]")),
                AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        proceeds(p.onResponseBody(ex, TestBody.json("[{\"ownerId\":\"alice\"},{\"ownerId\":\"alice\"}]")));
    }

    @Test
    void compares_numeric_owner_ids_as_canonical_strings() throws Exception {
        Principal numeric = principal("42", Set.of("orders:read"), Map.of());
        Policy p = objectPolicy();
        TestExchange ex = request(GET_ORDER, Map.of("orderId", "7"), numeric);
        ex.respond(200);
        proceeds(p.onResponseBody(ex, TestBody.json("{\"ownerId\":42}")));
        proceeds(p.onResponseBody(ex, TestBody.json("{\"ownerId\":42.0}")));
        rejected(p.onResponseBody(ex, TestBody.json("{\"ownerId\":420}")), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        rejected(p.onResponseBody(ex, TestBody.json("{\"ownerId\":1e999999999}")), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
    }

    @Test
    void fails_closed_on_a_response_that_is_not_json() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex = response(p, GET_ORDER, Map.of("orderId", "7"), 200);
        rejected(p.onResponseBody(ex, TestBody.json("{\"ownerId\":\"alice\"")), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        rejected(p.onResponseBody(ex, TestBody.of("ownerId=alice", "text/plain")), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        rejected(p.onResponseBody(ex, TestBody.json("")), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        rejected(
                p.onResponseBody(ex, TestBody.json("{\"ownerId\":\"alice\"} {\"ownerId\":\"bob\"}")),
                AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
    }

    @Test
    void rejects_owner_values_of_the_wrong_shape_or_case() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex = response(p, GET_ORDER, Map.of("orderId", "7"), 200);
        for (String body : List.of(
                "{\"ownerId\":[\"alice\"]}",
                "{\"ownerId\":{\"id\":\"alice\"}}",
                "{\"ownerId\":null}",
                "{\"ownerId\":\"Alice\"}",
                "{\"ownerId\":\"alice \"}",
                "{\"owner\":\"alice\"}",
                "\"alice\"",
                "[[{\"ownerId\":\"alice\"}]]")) {
            rejected(p.onResponseBody(ex, TestBody.json(body)), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        }
        rejected(
                decided(p.onRequest(request(LIST_USER_ACCOUNTS, Map.of("userId", "ALICE"), ALICE))),
                AuthzErrors.AUTHZ_OBJECT_DENIED);
        proceeds(p.onResponseBody(ex, TestBody.of("{\"ownerId\":\"alice\"}", "application/problem+json")));
        proceeds(p.onResponseBody(ex, TestBody.json("[]")));
    }

    @Test
    void fails_closed_on_duplicate_owner_keys() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex = response(p, GET_ORDER, Map.of("orderId", "7"), 200);
        rejected(
                p.onResponseBody(ex, TestBody.json("{\"ownerId\":\"alice\",\"ownerId\":\"bob\"}")),
                AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
    }

    @Test
    void fails_closed_on_a_deeply_nested_body() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex = response(p, GET_ORDER, Map.of("orderId", "7"), 200);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        rejected(p.onResponseBody(ex, TestBody.json(deep)), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
        String deepObject = "{\"ownerId\":\"alice\",\"x\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}";
        rejected(p.onResponseBody(ex, TestBody.json(deepObject)), AuthzErrors.AUTHZ_OBJECT_NOT_FOUND);
    }

    @Test
    void inspects_only_successful_responses_of_the_listed_operations() throws Exception {
        Policy p = objectPolicy();
        assertThat(p.inspectsResponseBody(response(p, GET_ORDER, Map.of("orderId", "7"), 404)))
                .isFalse();
        assertThat(p.inspectsResponseBody(response(p, GET_ORDER, Map.of("orderId", "7"), 204)))
                .isFalse();
        assertThat(p.inspectsResponseBody(response(p, CREATE_ORDER, Map.of(), 201)))
                .isFalse();
        TestExchange before = request(GET_ORDER, Map.of("orderId", "7"), ALICE);
        assertThat(p.inspectsResponseBody(before)).isFalse();
    }

    @Test
    void checks_the_owner_in_a_json_request_body() throws Exception {
        Policy p = objectPolicy();
        TestExchange ex =
                request(CREATE_ORDER, Map.of(), ALICE).header("Content-Type", "application/json; charset=utf-8");
        proceeds(decided(p.onRequest(ex)));
        assertThat(p.inspectsRequestBody(ex)).isTrue();
        proceeds(decided(p.onRequestBody(ex, TestBody.json("{\"customer\":{\"id\":\"alice\"},\"items\":[]}"))));
        Decision.Reject r = rejected(
                decided(p.onRequestBody(ex, TestBody.json("{\"customer\":{\"id\":\"bob\"}}"))),
                AuthzErrors.AUTHZ_OBJECT_DENIED);
        assertThat(r.detail()).isEqualTo("rule 'order-for-self' denied access to this object");
        rejected(decided(p.onRequestBody(ex, TestBody.json("{\"items\":[]}"))), AuthzErrors.AUTHZ_OBJECT_DENIED);
        assertThat(p.inspectsRequestBody(request(GET_ORDER, Map.of("orderId", "1"), ALICE)))
                .isFalse();
    }

    @Test
    void refuses_a_non_json_request_body_on_an_operation_with_a_body_rule() throws Exception {
        Policy p = objectPolicy();
        TestExchange form =
                request(CREATE_ORDER, Map.of(), ALICE).header("Content-Type", "application/x-www-form-urlencoded");
        rejected(decided(p.onRequest(form)), AuthzErrors.AUTHZ_OBJECT_DENIED);
        rejected(decided(p.onRequest(request(CREATE_ORDER, Map.of(), ALICE))), AuthzErrors.AUTHZ_OBJECT_DENIED);
    }

    @Test
    void compares_the_owner_with_a_configured_expression() throws Exception {
        Policy p = policy(Map.of(
                "objects",
                List.of(Map.of(
                        "name",
                        "tenant-report",
                        "operations",
                        List.of("getTenantReport"),
                        "path_param",
                        "tenantId",
                        "equals",
                        "claims.org.id"))));
        Principal member = principal("x", Set.of("reports:read"), Map.of("org", Map.of("id", 42L)));
        proceeds(decided(p.onRequest(request(GET_REPORT, Map.of("tenantId", "42"), member))));
        rejected(
                decided(p.onRequest(request(GET_REPORT, Map.of("tenantId", "43"), member))),
                AuthzErrors.AUTHZ_OBJECT_DENIED);
        Principal noOrg = principal("x", Set.of("reports:read"), Map.of());
        rejected(
                decided(p.onRequest(request(GET_REPORT, Map.of("tenantId", "42"), noOrg))),
                AuthzErrors.AUTHZ_OBJECT_DENIED);
    }

    // ---- admin (BFLA)

    @Test
    void rejects_a_non_admin_on_an_admin_tagged_operation_even_with_the_spec_scope() throws Exception {
        Policy p = policy(Map.of("admin", Map.of("tags", List.of("admin"), "require", "'admin' in claims.roles")));
        Principal scoped = principal("eve", Set.of("admin"), Map.of("roles", List.of("user")));
        Decision.Reject r = rejected(
                decided(p.onRequest(request(DISABLE_USER, Map.of("userId", "1"), scoped))),
                AuthzErrors.AUTHZ_ADMIN_ONLY);
        assertThat(r.key().status()).isEqualTo(403);
        Principal admin = principal("root", Set.of("admin"), Map.of("roles", List.of("admin")));
        proceeds(decided(p.onRequest(request(DISABLE_USER, Map.of("userId", "1"), admin))));
    }

    @Test
    void guards_operations_flagged_in_the_spec_even_without_admin_config() throws Exception {
        Policy p = policy(Map.of());
        rejected(decided(p.onRequest(request(PURGE_CACHE, Map.of(), ALICE))), AuthzErrors.AUTHZ_ADMIN_ONLY);
        proceeds(decided(p.onRequest(request(PURGE_CACHE, Map.of(), principal("root", Set.of("admin"), Map.of())))));
    }

    @Test
    void guards_operations_listed_by_id() throws Exception {
        Policy p = policy(Map.of("admin", Map.of("operations", List.of("listOrders"))));
        rejected(decided(p.onRequest(request(LIST_ORDERS, Map.of(), ALICE))), AuthzErrors.AUTHZ_ADMIN_ONLY);
        proceeds(decided(p.onRequest(
                request(LIST_ORDERS, Map.of(), principal("root", Set.of("admin", "orders:read"), Map.of())))));
    }
}
