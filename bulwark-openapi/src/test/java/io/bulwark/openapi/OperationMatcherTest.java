package io.bulwark.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.OperationMatch;
import io.bulwark.demo.AcmeShopApi;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationMatcherTest {
    private static final String SPEC = """
            openapi: 3.1.0
            paths:
              /users/me: {get: {operationId: me}}
              /users/{id}: {get: {operationId: getUser}, delete: {operationId: deleteUser}}
              /users/{userId}/accounts: {get: {operationId: accounts}}
              /reports/{name}.{format}: {get: {operationId: report}}
              /: {get: {operationId: root}}
            """;

    private static OperationMatcher matcher(String base) throws OpenApiException {
        return OpenApiDocument.parse("x", SPEC).matcher(base);
    }

    private static String id(OperationMatch m) {
        return m == null ? null : m.operation().id();
    }

    @Test
    void matches_the_sample_api() throws Exception {
        OperationMatcher m =
                OpenApiDocument.parse("shop", AcmeShopApi.openApiYaml()).matcher("");
        OperationMatch order = m.match("GET", "/api/v2/orders/42");
        assertThat(id(order)).isEqualTo("getOrder");
        assertThat(order.pathParameters()).isEqualTo(Map.of("orderId", "42"));
        assertThat(id(m.match("POST", "/api/v2/admin/users/7/disable"))).isEqualTo("disableUser");
        assertThat(id(m.match("GET", "/api/v2/users/7/accounts"))).isEqualTo("listUserAccounts");
        assertThat(m.match("GET", "/api/v2/secret")).isNull();
    }

    @Test
    void literal_segments_win_over_templates() throws Exception {
        OperationMatcher m = matcher("");
        assertThat(id(m.match("GET", "/users/me"))).isEqualTo("me");
        assertThat(id(m.match("GET", "/users/you"))).isEqualTo("getUser");
        assertThat(m.match("GET", "/users/you").pathParameters()).containsEntry("id", "you");
        assertThat(id(m.match("DELETE", "/users/me"))).isNull();
    }

    @Test
    void backtracks_into_a_sibling_template_with_another_name() throws Exception {
        OperationMatch m = matcher("").match("GET", "/users/9/accounts");
        assertThat(id(m)).isEqualTo("accounts");
        assertThat(m.pathParameters()).isEqualTo(Map.of("userId", "9"));
    }

    @Test
    void matches_partial_segment_templates() throws Exception {
        OperationMatch m = matcher("").match("GET", "/reports/q3.pdf");
        assertThat(id(m)).isEqualTo("report");
        assertThat(m.pathParameters()).isEqualTo(Map.of("name", "q3", "format", "pdf"));
        assertThat(matcher("").match("GET", "/reports/.pdf")).isNull();
        assertThat(matcher("").match("GET", "/reports/q3")).isNull();
    }

    @Test
    void decodes_path_parameters_strictly() throws Exception {
        OperationMatcher m = matcher("");
        assertThat(m.match("GET", "/users/J%C3%BCrgen%20K").pathParameters()).containsEntry("id", "Jürgen K");
        assertThat(m.match("GET", "/users/%zz")).isNull();
        assertThat(m.match("GET", "/users/%C3")).isNull();
        assertThat(m.match("GET", "/users/%")).isNull();
    }

    @Test
    void does_not_match_empty_segments_or_extra_segments() throws Exception {
        OperationMatcher m = matcher("");
        assertThat(m.match("GET", "/users/")).isNull();
        assertThat(m.match("GET", "/users/1/accounts/2")).isNull();
        assertThat(id(m.match("GET", "/"))).isEqualTo("root");
    }

    @Test
    void honours_the_base_path_on_whole_segments() throws Exception {
        OperationMatcher m = matcher("/v1/");
        assertThat(m.basePath()).isEqualTo("/v1");
        assertThat(id(m.match("GET", "/v1/users/me"))).isEqualTo("me");
        assertThat(id(m.match("GET", "/v1"))).isEqualTo("root");
        assertThat(m.match("GET", "/v1x/users/me")).isNull();
        assertThat(m.match("GET", "/users/me")).isNull();
    }

    @Test
    void head_falls_back_to_get_and_methods_are_listed_for_405() throws Exception {
        OperationMatcher m = matcher("");
        assertThat(id(m.match("HEAD", "/users/1"))).isEqualTo("getUser");
        assertThat(m.methodsFor("/users/1")).containsExactly("DELETE", "GET");
        assertThat(m.methodsFor("/nope")).isEmpty();
    }

    @Test
    void a_long_hostile_path_is_answered_without_blowing_up() throws Exception {
        OperationMatcher m = matcher("");
        String path = "/users" + "/x".repeat(5000);
        assertThat(m.match("GET", path)).isNull();
    }
}
