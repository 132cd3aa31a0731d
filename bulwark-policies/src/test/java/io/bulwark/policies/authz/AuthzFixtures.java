package io.bulwark.policies.authz;

import io.bulwark.api.Attributes;
import io.bulwark.api.Operation;
import io.bulwark.api.OperationMatch;
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

/** Operations of the sample API (bulwark-demo's openapi.yaml), principals and exchanges for the authz tests. */
final class AuthzFixtures {
    static final Operation LIST_USER_ACCOUNTS = op(
            "listUserAccounts",
            "GET",
            "/api/v2/users/{userId}/accounts",
            Set.of("users"),
            List.of(Set.of("users:read")),
            Map.of());
    static final Operation GET_ORDER = op(
            "getOrder", "GET", "/api/v2/orders/{orderId}", Set.of("orders"), List.of(Set.of("orders:read")), Map.of());
    static final Operation LIST_ORDERS =
            op("listOrders", "GET", "/api/v2/orders", Set.of("orders"), List.of(Set.of("orders:read")), Map.of());
    static final Operation CREATE_ORDER =
            op("createOrder", "POST", "/api/v2/orders", Set.of("orders"), List.of(Set.of("orders:write")), Map.of());
    static final Operation DISABLE_USER = op(
            "disableUser",
            "POST",
            "/api/v2/admin/users/{userId}/disable",
            Set.of("admin"),
            List.of(Set.of("admin")),
            Map.of("x-bulwark-sensitive", true));
    /** Its spec says less than it should: any authenticated caller. */
    static final Operation PURGE_CACHE = op(
            "purgeCache",
            "POST",
            "/api/v2/cache/purge",
            Set.of("system"),
            List.of(Set.of()),
            Map.of("x-bulwark-admin", true));

    static final Operation GET_REPORT = op(
            "getTenantReport",
            "GET",
            "/api/v2/tenants/{tenantId}/report",
            Set.of("reports"),
            List.of(Set.of("reports:read"), Set.of("reports:admin", "audit")),
            Map.of());
    static final Operation GET_HEALTH =
            new Operation("getHealth", "GET", "/health", Set.of("system"), List.of(), true, false, Map.of());

    static final List<Operation> OPERATIONS = List.of(
            LIST_USER_ACCOUNTS,
            GET_ORDER,
            LIST_ORDERS,
            CREATE_ORDER,
            DISABLE_USER,
            PURGE_CACHE,
            GET_REPORT,
            GET_HEALTH);

    private AuthzFixtures() {}

    private static Operation op(
            String id,
            String method,
            String template,
            Set<String> tags,
            List<Set<String>> security,
            Map<String, Object> extensions) {
        return new Operation(id, method, template, tags, security, false, false, extensions);
    }

    static Policy policy(Map<String, Object> config) throws ConfigException {
        return policy(config, OPERATIONS);
    }

    static Policy policy(Map<String, Object> config, List<Operation> operations) throws ConfigException {
        return new AuthzPolicyFactory()
                .create(
                        ConfigNode.fromValue(config, "bulwark.yaml"),
                        new PolicyContext(Path.of("."), "r1", operations, null));
    }

    static Principal principal(String subject, Set<String> scopes, Map<String, Object> claims) {
        return new Principal(subject, subject, scopes, claims, "jwt", Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A request that matched {@code op} with these path parameters, sent by {@code principal} (null for none). */
    static TestExchange request(Operation op, Map<String, String> params, Principal principal) {
        TestExchange ex = TestExchange.request(op.method(), op.pathTemplate());
        ex.attribute(Attributes.OPERATION, new OperationMatch(op, params));
        if (principal != null) {
            ex.attribute(Attributes.PRINCIPAL, principal);
        }
        return ex;
    }
}
