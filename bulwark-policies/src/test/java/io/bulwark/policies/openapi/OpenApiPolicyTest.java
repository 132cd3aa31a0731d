package io.bulwark.policies.openapi;

import static io.bulwark.policies.openapi.OpenApiFixtures.jsonRequest;
import static io.bulwark.policies.openapi.OpenApiFixtures.policy;
import static io.bulwark.policies.openapi.OpenApiFixtures.rejected;
import static io.bulwark.policies.openapi.OpenApiFixtures.request;
import static io.bulwark.policies.openapi.OpenApiFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.Decision;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.policies.TestBody;
import io.bulwark.policies.TestExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request side against the sample API's contract, as an attacker would probe it. */
class OpenApiPolicyTest {
    private static OpenApiDocument doc;
    private static Policy policy;

    @BeforeAll
    static void load() throws Exception {
        doc = OpenApiFixtures.shop();
        policy = policy(doc);
    }

    private static Decision createUser(String json) {
        TestExchange ex = jsonRequest(doc, "POST", "/api/v2/users", json.getBytes(StandardCharsets.UTF_8).length);
        return run(policy, ex, json);
    }

    @Test
    void runs_in_the_validate_phase() {
        assertThat(policy.phase()).isEqualTo(Phase.VALIDATE);
    }

    @Test
    void accepts_a_valid_user() {
        assertThat(createUser("{\"name\":\"Mallory\",\"email\":\"mallory@example.com\"}"))
                .isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void refuses_mass_assignment_of_the_role_naming_the_pointer() {
        Decision.Reject r =
                rejected(createUser("{\"name\":\"Mallory\",\"email\":\"mallory@example.com\",\"role\":\"admin\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_UNKNOWN_PROPERTY);
        assertThat(r.detail()).contains("/role").doesNotContain("admin");
    }

    @Test
    void refuses_wrong_types() {
        Decision.Reject r = rejected(createUser("{\"name\":42,\"email\":\"m@example.com\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
        assertThat(r.detail()).contains("/name").contains("type");
    }

    @Test
    void refuses_a_missing_required_property() {
        Decision.Reject r = rejected(createUser("{\"name\":\"Mallory\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
        assertThat(r.detail()).contains("required");
    }

    @Test
    void refuses_a_bad_email_format_without_echoing_it() {
        Decision.Reject r = rejected(createUser("{\"name\":\"Mallory\",\"email\":\"<script>alert(1)</script>\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
        assertThat(r.detail()).contains("/email").contains("format").doesNotContain("script");
    }

    @Test
    void refuses_pattern_and_range_violations_in_an_order() {
        String json = "{\"items\":[{\"sku\":\"anvil 50kg\",\"quantity\":1000}]}";
        TestExchange ex = jsonRequest(doc, "POST", "/api/v2/orders", json.length());
        Decision.Reject r = rejected(run(policy, ex, json));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
        assertThat(r.detail()).contains("/items/0/sku").contains("pattern");
        assertThat(r.detail()).contains("/items/0/quantity").contains("maximum 100");
    }

    @Test
    void refuses_duplicate_keys() {
        Decision.Reject r = rejected(createUser("{\"name\":\"a\",\"email\":\"a@example.com\",\"name\":\"b\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_MALFORMED);
    }

    @Test
    void refuses_malformed_json_and_trailing_data() {
        assertThat(rejected(createUser("{\"name\":")).key()).isEqualTo(OpenApiErrors.OAS_BODY_MALFORMED);
        assertThat(rejected(createUser("{\"name\":\"a\",\"email\":\"a@example.com\"} {}"))
                        .key())
                .isEqualTo(OpenApiErrors.OAS_BODY_MALFORMED);
    }

    @Test
    void refuses_10k_levels_of_nesting_fast() {
        String json = "[".repeat(10_000) + "]".repeat(10_000);
        long start = System.nanoTime();
        Decision.Reject r = rejected(createUser(json));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_LIMIT);
        assertThat(r.detail()).contains("32 levels");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void refuses_a_one_megabyte_string() {
        String json = "{\"name\":\"" + "a".repeat(1 << 20) + "\",\"email\":\"a@example.com\"}";
        Decision.Reject r = rejected(createUser(json));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_LIMIT);
        assertThat(r.detail()).contains("10000 characters").doesNotContain("aaaa");
    }

    @Test
    void refuses_arrays_and_objects_over_the_limits() throws Exception {
        Policy small = policy(doc, Map.of("limits", Map.of("max_array_items", 3, "max_properties", 2)));
        String array = "{\"items\":[1,2,3,4]}";
        Decision.Reject r = rejected(run(small, jsonRequest(doc, "POST", "/api/v2/orders", array.length()), array));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_LIMIT);
        assertThat(r.detail()).contains("/items").contains("3 items");
        String object = "{\"a\":1,\"b\":2,\"c\":3}";
        r = rejected(run(small, jsonRequest(doc, "POST", "/api/v2/users", object.length()), object));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_LIMIT);
    }

    @Test
    void refuses_an_undeclared_content_type() {
        TestExchange ex = request(doc, "POST", "/api/v2/users")
                .header("Content-Type", "application/xml")
                .contentLength(20);
        Decision.Reject r = rejected(TestExchange.decided(policy.onRequest(ex)));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_CONTENT_TYPE);
        assertThat(r.key().status()).isEqualTo(415);
        assertThat(r.detail()).contains("application/json");
    }

    @Test
    void refuses_a_missing_required_body() {
        TestExchange ex = request(doc, "POST", "/api/v2/users").contentLength(0);
        assertThat(rejected(TestExchange.decided(policy.onRequest(ex))).key())
                .isEqualTo(OpenApiErrors.OAS_BODY_MISSING);
    }

    @Test
    void a_body_on_an_operation_without_one_is_refused_but_a_stray_content_type_is_not() {
        TestExchange body = request(doc, "GET", "/api/v2/users")
                .header("Content-Type", "application/json")
                .contentLength(2);
        assertThat(rejected(TestExchange.decided(policy.onRequest(body))).key())
                .isEqualTo(OpenApiErrors.OAS_CONTENT_TYPE);
        TestExchange stray = request(doc, "GET", "/api/v2/users").header("Content-Type", "application/json");
        assertThat(TestExchange.decided(policy.onRequest(stray))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void a_body_of_unknown_length_is_checked_once_buffered() {
        // HTTP/2 may send neither Content-Length nor Transfer-Encoding
        TestExchange ex = request(doc, "POST", "/api/v2/users").header("Content-Type", "application/json");
        assertThat(TestExchange.decided(policy.onRequest(ex))).isInstanceOf(Decision.Proceed.class);
        assertThat(policy.inspectsRequestBody(ex)).isTrue();
        assertThat(rejected(TestExchange.decided(policy.onRequestBody(ex, TestBody.json(""))))
                        .key())
                .isEqualTo(OpenApiErrors.OAS_BODY_MISSING);
    }

    @Test
    void answers_404_for_an_unknown_path() {
        Decision.Reject r = rejected(TestExchange.decided(policy.onRequest(request(doc, "GET", "/internal/debug"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_PATH_UNKNOWN);
        assertThat(r.key().status()).isEqualTo(404);
    }

    @Test
    void answers_405_with_allow_for_a_wrong_method() {
        Decision.Reject r = rejected(TestExchange.decided(policy.onRequest(request(doc, "DELETE", "/api/v2/users"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_METHOD_NOT_ALLOWED);
        assertThat(r.headers()).containsEntry("Allow", "GET, HEAD, POST");
    }

    @Test
    void checks_query_parameters() {
        assertThat(TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users?limit=10&offset=0"))))
                .isInstanceOf(Decision.Proceed.class);
        Decision.Reject r =
                rejected(TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users?limit=500"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_PARAMETER_INVALID);
        assertThat(r.detail()).contains("query parameter 'limit'").contains("maximum 100");
        r = rejected(
                TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users?limit=1%27%20OR%201=1"))));
        assertThat(r.detail()).contains("'limit'").contains("an integer").doesNotContain("OR");
    }

    @Test
    void refuses_a_duplicate_single_valued_query_parameter() {
        Decision.Reject r = rejected(
                TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users?limit=1&limit=100"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_PARAMETER_INVALID);
        assertThat(r.detail()).contains("given 2 times");
    }

    @Test
    void checks_path_parameters() {
        Decision.Reject r = rejected(TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users/0"))));
        assertThat(r.detail()).contains("path parameter 'userId'").contains("minimum");
        r = rejected(TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users/abc"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_PARAMETER_INVALID);
        assertThat(TestExchange.decided(policy.onRequest(request(doc, "GET", "/api/v2/users/7"))))
                .isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void monitor_mode_lets_violations_through_and_lists_them() throws Exception {
        Policy monitor = policy(doc, Map.of("mode", "monitor"));
        TestExchange unknown = request(doc, "GET", "/internal/debug");
        assertThat(TestExchange.decided(monitor.onRequest(unknown))).isInstanceOf(Decision.Proceed.class);
        assertThat(unknown.attribute(OpenApiErrors.VIOLATIONS)).contains(List.of("OAS_PATH_UNKNOWN"));

        String json = "{\"name\":\"Mallory\",\"email\":\"m@example.com\",\"role\":\"admin\"}";
        TestExchange ex = jsonRequest(doc, "POST", "/api/v2/users?x=1", json.length());
        assertThat(run(monitor, ex, json)).isInstanceOf(Decision.Proceed.class);
        assertThat(ex.attribute(OpenApiErrors.VIOLATIONS)).contains(List.of("OAS_BODY_UNKNOWN_PROPERTY"));
    }

    @Test
    void a_monitored_operation_overrides_the_route_mode() throws Exception {
        Policy p = policy(doc, Map.of("operations", Map.of("createUser", Map.of("mode", "monitor"))));
        String json = "{\"name\":\"Mallory\",\"email\":\"m@example.com\",\"role\":\"admin\"}";
        assertThat(run(p, jsonRequest(doc, "POST", "/api/v2/users", json.length()), json))
                .isInstanceOf(Decision.Proceed.class);
        assertThat(rejected(TestExchange.decided(p.onRequest(request(doc, "GET", "/api/v2/users?limit=0"))))
                        .key())
                .isEqualTo(OpenApiErrors.OAS_PARAMETER_INVALID);
    }

    @Test
    void does_not_buffer_bodies_it_does_not_check() {
        assertThat(policy.inspectsRequestBody(request(doc, "GET", "/api/v2/users")))
                .isFalse();
        assertThat(policy.inspectsRequestBody(
                        request(doc, "POST", "/api/v2/users").header("Content-Type", "text/plain")))
                .isFalse();
    }
}
