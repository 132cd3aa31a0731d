package io.bulwark.policies.headers;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadersPolicyTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r1");

    private static Policy headers(Map<String, ?> config) throws ConfigException {
        return new HeadersPolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    /** An upstream response that leaks its stack, as many do. */
    private static TestExchange leakyResponse() {
        TestExchange ex = TestExchange.request("GET", "/orders").respond(200);
        ex.response()
                .header("Content-Type", "application/json")
                .header("Server", "nginx/1.25.3")
                .header("x-powered-by", "PHP/8.3")
                .header("X-AspNet-Version", "4.0.30319")
                .header("X-AspNetMvc-Version", "5.2")
                .header("X-Frame-Options", "ALLOWALL");
        return ex;
    }

    @Test
    void security_defaults_add_protections_and_remove_stack_details() throws ConfigException {
        TestExchange ex = leakyResponse();

        headers(Map.of()).onResponse(ex);

        assertThat(ex.response().headers().snapshot())
                .containsOnly(
                        Map.entry("Content-Type", List.of("application/json")),
                        Map.entry("X-Content-Type-Options", List.of("nosniff")),
                        Map.entry("X-Frame-Options", List.of("DENY")),
                        Map.entry("Content-Security-Policy", List.of("frame-ancestors 'none'")),
                        Map.entry("Cache-Control", List.of("no-store")));
    }

    @Test
    void security_defaults_keep_the_api_own_caching_and_content_security_policy() throws ConfigException {
        TestExchange ex = TestExchange.request("GET", "/catalog").respond(200);
        ex.response()
                .header("cache-control", "public, max-age=60")
                .header("Content-Security-Policy", "default-src 'none'");

        headers(Map.of()).onResponse(ex);

        assertThat(ex.response().headers().getAll("Cache-Control")).containsExactly("public, max-age=60");
        assertThat(ex.response().headers().getAll("Content-Security-Policy")).containsExactly("default-src 'none'");
    }

    @Test
    void security_defaults_also_apply_to_gateway_problem_responses() throws ConfigException {
        TestExchange ex = TestExchange.request("GET", "/").respond(ErrorKeys.ROUTE_NOT_FOUND);

        headers(Map.of()).onResponse(ex);

        assertThat(ex.response().headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(ex.response().status()).isEqualTo(404);
    }

    @Test
    void without_security_defaults_the_response_is_left_alone() throws ConfigException {
        TestExchange ex = leakyResponse();
        Map<String, List<String>> before = ex.response().headers().snapshot();

        headers(Map.of("security_defaults", false)).onResponse(ex);

        assertThat(ex.response().headers().snapshot()).isEqualTo(before);
    }

    @Test
    void applies_custom_response_rewrites() throws ConfigException {
        Policy policy = headers(Map.of(
                "security_defaults",
                false,
                "response",
                Map.of(
                        "set", Map.of("Referrer-Policy", "no-referrer"),
                        "set_if_absent", Map.of("Permissions-Policy", "geolocation=()"),
                        "remove", List.of("x-internal-trace"))));
        TestExchange ex = TestExchange.request("GET", "/").respond(200);
        ex.response()
                .header("Referrer-Policy", "unsafe-url")
                .header("Referrer-Policy", "origin")
                .header("X-Internal-Trace", "db=10.0.0.5");

        policy.onResponse(ex);

        assertThat(ex.response().headers().snapshot())
                .containsOnly(
                        Map.entry("Referrer-Policy", List.of("no-referrer")),
                        Map.entry("Permissions-Policy", List.of("geolocation=()")));
    }

    @Test
    void set_if_absent_keeps_an_upstream_value() throws ConfigException {
        Policy policy = headers(Map.of(
                "security_defaults",
                false,
                "response",
                Map.of("set_if_absent", Map.of("Permissions-Policy", "geolocation=()"))));
        TestExchange ex = TestExchange.request("GET", "/").respond(200);
        ex.response().header("permissions-policy", "camera=()");

        policy.onResponse(ex);

        assertThat(ex.response().headers().getAll("Permissions-Policy")).containsExactly("camera=()");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Frame-Options", "x-frame-options"})
    void removing_a_default_header_means_it_is_not_sent(String name) throws ConfigException {
        Policy policy = headers(Map.of("response", Map.of("remove", List.of(name))));
        TestExchange ex = leakyResponse();

        policy.onResponse(ex);

        assertThat(ex.response().headers().contains("X-Frame-Options")).isFalse();
        assertThat(ex.response().headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(ex.response().headers().contains("Server")).isFalse();
    }

    @Test
    void removing_a_default_set_if_absent_header_drops_the_default_and_the_upstream_value() throws ConfigException {
        Policy policy = headers(Map.of("response", Map.of("remove", "Cache-Control")));
        TestExchange ex = TestExchange.request("GET", "/").respond(200);
        ex.response().header("Cache-Control", "public");

        policy.onResponse(ex);

        assertThat(ex.response().headers().contains("Cache-Control")).isFalse();
        assertThat(ex.response().headers().get("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
    }

    @Test
    void a_configured_value_replaces_a_default() throws ConfigException {
        Policy policy = headers(Map.of("response", Map.of("set", Map.of("X-Frame-Options", "SAMEORIGIN"))));
        TestExchange ex = leakyResponse();

        policy.onResponse(ex);

        assertThat(ex.response().headers().getAll("X-Frame-Options")).containsExactly("SAMEORIGIN");
    }

    /**
     * Header names are case-insensitive, so {@code x-frame-options} overrides the default {@code X-Frame-Options}
     * whatever the rest of the config. Several config shapes are tried because the outcome must not depend on the
     * iteration order of the configured headers.
     */
    @Test
    void a_configured_value_replaces_a_default_whatever_the_case_of_its_name() throws ConfigException {
        for (int extra = 0; extra < 16; extra++) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("x-frame-options", "SAMEORIGIN");
            for (int i = 0; i < extra; i++) {
                set.put("X-Extra-" + i, "v");
            }
            Policy policy = headers(Map.of("response", Map.of("set", set)));
            TestExchange ex = TestExchange.request("GET", "/").respond(200);

            policy.onResponse(ex);

            assertThat(ex.response().headers().getAll("X-Frame-Options"))
                    .as("with %d extra headers", extra)
                    .containsExactly("SAMEORIGIN");
        }
    }

    /** Same for set_if_absent: the configured {@code cache-control} wins over the default {@code no-store}. */
    @Test
    void a_configured_set_if_absent_replaces_a_default_whatever_the_case_of_its_name() throws ConfigException {
        for (int extra = 0; extra < 16; extra++) {
            Map<String, Object> ifAbsent = new LinkedHashMap<>();
            ifAbsent.put("cache-control", "max-age=60");
            for (int i = 0; i < extra; i++) {
                ifAbsent.put("X-Extra-" + i, "v");
            }
            Policy policy = headers(Map.of("response", Map.of("set_if_absent", ifAbsent)));
            TestExchange ex = TestExchange.request("GET", "/").respond(200);

            policy.onResponse(ex);

            assertThat(ex.response().headers().getAll("Cache-Control"))
                    .as("with %d extra headers", extra)
                    .containsExactly("max-age=60");
        }
    }

    @Test
    void a_configured_value_can_replace_a_removed_upstream_header() throws ConfigException {
        Policy policy = headers(Map.of("response", Map.of("set", Map.of("Server", "bulwark"))));
        TestExchange ex = leakyResponse();

        policy.onResponse(ex);

        assertThat(ex.response().headers().getAll("Server")).containsExactly("bulwark");
    }

    @Test
    void rewrites_request_headers_sent_upstream() throws ConfigException {
        Policy policy = headers(Map.of(
                "request",
                Map.of(
                        "set", Map.of("X-Forwarded-Prefix", "/api", "X-Api-Version", "2"),
                        "remove", List.of("x-debug", "Cookie", "X-Api-Version"))));
        TestExchange ex = TestExchange.request("GET", "/orders")
                .header("X-Forwarded-Prefix", "/evil")
                .header("X-Forwarded-Prefix", "/evil2")
                .header("X-Debug", "1")
                .header("cookie", "session=abc")
                .header("X-Api-Version", "1")
                .header("Accept", "application/json");

        assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());

        assertThat(ex.requestHeaders().snapshot())
                .containsOnly(
                        Map.entry("X-Forwarded-Prefix", List.of("/api")),
                        Map.entry("X-Api-Version", List.of("2")),
                        Map.entry("Accept", List.of("application/json")));
    }

    @Test
    void security_defaults_do_not_touch_the_request() throws ConfigException {
        TestExchange ex = TestExchange.request("GET", "/")
                .header("Server", "client-supplied")
                .header("Cache-Control", "no-cache");
        Map<String, List<String>> before = ex.requestHeaders().snapshot();

        assertThat(decided(headers(Map.of()).onRequest(ex))).isSameAs(Decision.proceed());

        assertThat(ex.requestHeaders().snapshot()).isEqualTo(before);
    }

    @Test
    void response_rewrites_do_not_touch_the_request() throws ConfigException {
        Policy policy = headers(Map.of("response", Map.of("set", Map.of("X-A", "1"), "remove", "Accept")));
        TestExchange ex =
                TestExchange.request("GET", "/").header("Accept", "*/*").respond(200);

        policy.onRequest(ex);
        policy.onResponse(ex);

        assertThat(ex.requestHeaders().snapshot()).containsOnly(Map.entry("Accept", List.of("*/*")));
    }
}
