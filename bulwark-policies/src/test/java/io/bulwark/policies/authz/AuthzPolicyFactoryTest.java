package io.bulwark.policies.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bulwark.api.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthzPolicyFactoryTest {
    private static String failure(Map<String, Object> config) {
        return failure(config, AuthzFixtures.OPERATIONS);
    }

    private static String failure(Map<String, Object> config, List<io.bulwark.api.Operation> operations) {
        Throwable t = catchThrowable(() -> AuthzFixtures.policy(config, operations));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    @Test
    void is_named_authz() {
        assertThat(new AuthzPolicyFactory().name()).isEqualTo("authz");
    }

    @Test
    void accepts_an_empty_config() throws Exception {
        assertThat(AuthzFixtures.policy(Map.of())).isNotNull();
    }

    @Test
    void rejects_an_unknown_operation_override_with_suggestions() {
        String message = failure(Map.of("operations", Map.of("getOrders", Map.of("scopes", List.of("x")))));
        assertThat(message)
                .contains("operations.getOrders")
                .contains("unknown operation 'getOrders'")
                .contains("did you mean 'getOrder'");
    }

    @Test
    void rejects_operation_names_on_a_route_without_a_spec() {
        assertThat(failure(Map.of("operations", Map.of("getOrder", Map.of("scopes", List.of("x")))), List.of()))
                .contains("without an OpenAPI document");
    }

    @Test
    void rejects_an_override_with_both_or_neither_form_and_an_empty_any_of() {
        assertThat(failure(Map.of("operations", Map.of("getOrder", Map.of()))))
                .contains("either {scopes: [...]} or {any_of");
        assertThat(failure(Map.of(
                        "operations",
                        Map.of("getOrder", Map.of("scopes", List.of("a"), "any_of", List.of(List.of("b")))))))
                .contains("either");
        assertThat(failure(Map.of("operations", Map.of("getOrder", Map.of("any_of", List.of())))))
                .contains("at least one alternative");
    }

    @Test
    void rejects_a_scope_that_would_break_the_challenge_header() {
        assertThat(failure(Map.of("scopes", List.of("orders read"))))
                .contains("scopes")
                .contains("a scope");
        assertThat(failure(Map.of("scopes", List.of("a\"b")))).contains("a scope");
    }

    @Test
    void names_the_rule_the_column_and_what_was_expected() {
        String message = failure(
                Map.of("rules", List.of(Map.of("name", "tenant", "require", "path.tenantId == claims.tenant and"))));
        assertThat(message)
                .contains("rules[0].require")
                .contains("rule 'tenant'")
                .contains("column 35")
                .contains("a value or reference before the end of the expression");
    }

    @Test
    void rejects_a_path_parameter_no_operation_has() {
        String message =
                failure(Map.of("rules", List.of(Map.of("name", "t", "require", "path.tenant == claims.tenant"))));
        assertThat(message)
                .contains("a path parameter of the route's operations")
                .contains("did you mean 'tenantId'");
    }

    @Test
    void rejects_hostile_expressions_at_load() {
        for (String hostile : List.of(
                "claims.a == 'unterminated",
                "(".repeat(10_000) + "true" + ")".repeat(10_000),
                "x".repeat(3 * 1024),
                "claims.a == 1 or ".repeat(200) + "true",
                "java.lang.Runtime == 1",
                "claims.a == 'x'; drop")) {
            assertThat(failure(Map.of("rules", List.of(Map.of("name", "evil", "require", hostile)))))
                    .contains("rule 'evil'")
                    .hasSizeLessThan(1000);
        }
    }

    @Test
    void rejects_duplicate_and_missing_rule_names_and_unknown_keys() {
        assertThat(failure(Map.of(
                        "rules",
                        List.of(Map.of("name", "a", "require", "true"), Map.of("name", "a", "require", "true")))))
                .contains("duplicate rule name");
        assertThat(failure(Map.of("rules", List.of(Map.of("require", "true"))))).contains("'name'");
        assertThat(failure(Map.of("rules", List.of(Map.of("name", "a", "requires", "true")))))
                .contains("did you mean 'require'");
        assertThat(failure(Map.of("unknown_operation", "allow"))).contains("did you mean 'unknown_operations'");
        assertThat(failure(Map.of("unknown_operations", "permit"))).contains("one of deny, allow");
    }

    @Test
    void rejects_object_rules_with_no_or_several_sources() {
        assertThat(failure(Map.of("objects", List.of(Map.of("name", "o", "operations", List.of("getOrder"))))))
                .contains("exactly one of 'path_param', 'request_field', 'response_field'");
        assertThat(failure(Map.of(
                        "objects",
                        List.of(Map.of(
                                "name", "o",
                                "operations", List.of("getOrder"),
                                "path_param", "orderId",
                                "response_field", "/ownerId")))))
                .contains("several owner sources");
    }

    @Test
    void rejects_a_path_param_that_a_listed_operation_lacks() {
        String message = failure(Map.of(
                "objects",
                List.of(Map.of(
                        "name", "o", "operations", List.of("getOrder", "listOrders"), "path_param", "orderId"))));
        assertThat(message).contains("objects[0].path_param").contains("listOrders");
        assertThat(failure(Map.of(
                        "objects",
                        List.of(Map.of("name", "o", "operations", List.of("getOrder"), "path_param", "orderid")))))
                .contains("did you mean 'orderId'");
    }

    @Test
    void rejects_an_unknown_operation_in_object_and_admin_rules() {
        assertThat(failure(Map.of(
                        "objects",
                        List.of(Map.of("name", "o", "operations", List.of("getOrdr"), "response_field", "/ownerId")))))
                .contains("objects[0].operations[0]")
                .contains("did you mean 'getOrder'");
        assertThat(failure(Map.of("admin", Map.of("operations", List.of("disableUsers")))))
                .contains("did you mean 'disableUser'");
    }

    @Test
    void rejects_a_field_that_is_not_a_json_pointer_and_a_bad_on_deny() {
        assertThat(failure(Map.of(
                        "objects",
                        List.of(Map.of("name", "o", "operations", List.of("getOrder"), "response_field", "ownerId")))))
                .contains("a JSON pointer");
        assertThat(failure(Map.of(
                        "objects",
                        List.of(Map.of(
                                "name",
                                "o",
                                "operations",
                                List.of("getOrder"),
                                "response_field",
                                "/ownerId",
                                "on_deny",
                                401)))))
                .contains("one of 403, 404");
    }

    @Test
    void rejects_an_admin_extension_that_is_not_an_extension() {
        assertThat(failure(Map.of("admin", Map.of("extension", "admin")))).contains("starting with x-");
        assertThat(failure(Map.of("admin", Map.of("require", "'admin' in principal.scope"))))
                .contains("rule 'admin'")
                .contains("principal.scopes");
    }
}
