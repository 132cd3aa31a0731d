package io.bulwark.policies.cors;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsPolicyTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r1");
    private static final String APP = "https://app.example.com";
    private static final String VARY_PREFLIGHT =
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

    private static Policy cors(Map<String, ?> config) throws ConfigException {
        return new CorsPolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    private static TestExchange preflight(String origin, String method) {
        return TestExchange.request("OPTIONS", "/orders")
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method);
    }

    private static Decision.Respond allowed(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Respond.class);
        return (Decision.Respond) decision;
    }

    private static void assertCorsRejected(Decision decision) {
        assertThat(decision).isInstanceOfSatisfying(Decision.Reject.class, r -> {
            assertThat(r.key()).isSameAs(CorsPolicy.CORS_REJECTED);
            assertThat(r.key().key()).isEqualTo("CORS_REJECTED");
            assertThat(r.key().status()).isEqualTo(403);
            assertThat(r.headers()).isEmpty();
        });
    }

    @Nested
    class Preflight {
        @Test
        void answers_an_allowed_preflight_with_204_and_the_cors_headers() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", List.of(APP)));

            Decision.Respond r = allowed(decided(policy.onRequest(preflight(APP, "POST"))));

            assertThat(r.status()).isEqualTo(204);
            assertThat(r.headers())
                    .containsOnly(
                            Map.entry("Access-Control-Allow-Origin", APP),
                            Map.entry("Access-Control-Allow-Methods", "GET, HEAD, POST"),
                            Map.entry("Access-Control-Max-Age", "600"),
                            Map.entry("Vary", VARY_PREFLIGHT));
        }

        @Test
        void echoes_the_requested_headers_and_announces_credentials() throws ConfigException {
            Policy policy = cors(Map.of(
                    "allow_origins", List.of(APP),
                    "allow_methods", List.of("delete", "PUT", "GET"),
                    "allow_headers", List.of("Content-Type", "X-Api-Key"),
                    "allow_credentials", true,
                    "max_age", "1h"));
            TestExchange ex = preflight(APP, "PUT").header("Access-Control-Request-Headers", "content-type,X-API-KEY");

            Decision.Respond r = allowed(decided(policy.onRequest(ex)));

            assertThat(r.status()).isEqualTo(204);
            assertThat(r.headers())
                    .containsOnly(
                            Map.entry("Access-Control-Allow-Origin", APP),
                            Map.entry("Access-Control-Allow-Methods", "DELETE, GET, PUT"),
                            Map.entry("Access-Control-Allow-Headers", "content-type, x-api-key"),
                            Map.entry("Access-Control-Allow-Credentials", "true"),
                            Map.entry("Access-Control-Max-Age", "3600"),
                            Map.entry("Vary", VARY_PREFLIGHT));
        }

        @Test
        void max_age_zero_is_sent_as_zero_seconds() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP, "max_age", "0s"));

            assertThat(allowed(decided(policy.onRequest(preflight(APP, "GET")))).headers())
                    .containsEntry("Access-Control-Max-Age", "0");
        }

        @Test
        void sends_no_allow_headers_when_none_were_requested() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP, "allow_headers", "X-Api-Key"));
            TestExchange ex = preflight(APP, "GET").header("Access-Control-Request-Headers", " ");

            assertThat(allowed(decided(policy.onRequest(ex))).headers())
                    .doesNotContainKey("Access-Control-Allow-Headers")
                    .doesNotContainKey("Access-Control-Allow-Credentials");
        }

        @Test
        void rejects_a_preflight_from_an_unlisted_origin_without_echoing_it() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            String evil = "https://evil.example.net";

            Decision d = decided(policy.onRequest(preflight(evil, "GET")));

            assertCorsRejected(d);
            assertThat(((Decision.Reject) d).detail()).doesNotContain(evil).doesNotContain("evil");
        }

        @Test
        void rejects_a_preflight_for_a_method_not_allowed() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP, "allow_methods", List.of("GET", "POST")));

            assertCorsRejected(decided(policy.onRequest(preflight(APP, "DELETE"))));
            assertCorsRejected(decided(policy.onRequest(preflight(APP, "PATCH"))));
        }

        @Test
        void rejects_a_preflight_if_any_requested_header_is_not_allowed() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP, "allow_headers", List.of("Content-Type", "X-Api-Key")));
            TestExchange ex = preflight(APP, "POST")
                    .header("Access-Control-Request-Headers", "content-type, x-api-key, x-internal-admin");

            assertCorsRejected(decided(policy.onRequest(ex)));
        }

        @Test
        void rejects_requested_headers_when_none_are_allowed() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex = preflight(APP, "GET").header("Access-Control-Request-Headers", "authorization");

            assertCorsRejected(decided(policy.onRequest(ex)));
        }

        @Test
        void never_allows_the_null_origin_even_with_any_origin() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "*"));

            assertCorsRejected(decided(policy.onRequest(preflight("null", "GET"))));
        }

        @Test
        void answers_any_origin_with_a_star_when_credentials_are_off() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "*"));

            Decision.Respond r = allowed(decided(policy.onRequest(preflight("https://anyone.example.org", "GET"))));

            assertThat(r.headers())
                    .containsEntry("Access-Control-Allow-Origin", "*")
                    .doesNotContainKey("Access-Control-Allow-Credentials");
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://a.example.com", "https://a.b.example.com", "https://x-1.example.com"})
        void a_subdomain_wildcard_allows_subdomains_and_echoes_them(String origin) throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "https://*.example.com", "allow_credentials", true));

            assertThat(allowed(decided(policy.onRequest(preflight(origin, "GET"))))
                            .headers())
                    .containsEntry("Access-Control-Allow-Origin", origin)
                    .containsEntry("Access-Control-Allow-Credentials", "true");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "https://example.com",
                    "https://.example.com",
                    "https://a..example.com",
                    "https://evil.com/.example.com",
                    "https://evil.com?.example.com",
                    "https://evil.com#.example.com",
                    "https://evil.com\\.example.com",
                    "https://evil.com%2f.example.com",
                    "https://evil.com:443.example.com",
                    "https://user@a.example.com",
                    "https://a.example.com.evil.com",
                    "https://a.example.com:8443",
                    "https://aexample.com",
                    "https://a_b.example.com",
                    "http://a.example.com",
                    "wss://a.example.com",
                    "null",
                    ""
                })
        void a_subdomain_wildcard_rejects_everything_else(String origin) throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "https://*.example.com"));

            assertCorsRejected(decided(policy.onRequest(preflight(origin, "GET"))));
        }

        @Test
        void rejects_an_over_long_origin() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "https://*.example.com"));
            String longOrigin = "https://" + "a".repeat(600) + ".example.com";

            assertCorsRejected(decided(policy.onRequest(preflight(longOrigin, "GET"))));
        }

        @Test
        void a_wildcard_with_a_port_needs_that_port() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "https://*.example.com:8443"));

            assertThat(decided(policy.onRequest(preflight("https://a.example.com:8443", "GET"))))
                    .isInstanceOf(Decision.Respond.class);
            assertCorsRejected(decided(policy.onRequest(preflight("https://a.example.com", "GET"))));
            assertCorsRejected(decided(policy.onRequest(preflight("https://a.example.com:9443", "GET"))));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "https://app.example.com.evil.com",
                    "https://app.example.co",
                    "http://app.example.com",
                    "https://app.example.com:443",
                    "https://app.example.com/",
                    "https://sub.app.example.com"
                })
        void an_exact_origin_matches_only_itself(String origin) throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));

            assertCorsRejected(decided(policy.onRequest(preflight(origin, "GET"))));
        }

        @Test
        void passes_an_options_request_that_is_not_a_preflight() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex = TestExchange.request("OPTIONS", "/orders").header("Origin", "https://evil.example.net");

            assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
        }

        @Test
        void passes_a_preflight_shaped_request_without_origin() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex = TestExchange.request("OPTIONS", "/").header("Access-Control-Request-Method", "DELETE");

            assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
        }

        @Test
        void passes_other_methods_whatever_their_origin() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex = TestExchange.request("POST", "/orders")
                    .header("Origin", "https://evil.example.net")
                    .header("Access-Control-Request-Method", "DELETE");

            assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
        }
    }

    @Nested
    class Responses {
        @Test
        void adds_allow_origin_credentials_expose_and_vary_for_an_allowed_origin() throws ConfigException {
            Policy policy = cors(Map.of(
                    "allow_origins",
                    APP,
                    "allow_credentials",
                    true,
                    "expose_headers",
                    List.of("X-Request-Id", "X-RateLimit-Remaining")));
            TestExchange ex =
                    TestExchange.request("GET", "/orders").header("Origin", APP).respond(200);
            ex.response().header("Content-Type", "application/json");

            policy.onResponse(ex);

            assertThat(ex.response().headers().snapshot())
                    .containsOnly(
                            Map.entry("Content-Type", List.of("application/json")),
                            Map.entry("Access-Control-Allow-Origin", List.of(APP)),
                            Map.entry("Access-Control-Allow-Credentials", List.of("true")),
                            Map.entry("Access-Control-Expose-Headers", List.of("X-Request-Id, X-RateLimit-Remaining")),
                            Map.entry("Vary", List.of("Origin")));
        }

        @Test
        void adds_only_allow_origin_and_vary_by_default() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex =
                    TestExchange.request("GET", "/").header("Origin", APP).respond(200);

            policy.onResponse(ex);

            assertThat(ex.response().headers().snapshot())
                    .containsOnly(
                            Map.entry("Access-Control-Allow-Origin", List.of(APP)),
                            Map.entry("Vary", List.of("Origin")));
        }

        @Test
        void adds_cors_headers_to_gateway_problem_responses_too() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex =
                    TestExchange.request("POST", "/").header("Origin", APP).respond(ErrorKeys.BODY_TOO_LARGE);

            policy.onResponse(ex);

            assertThat(ex.response().headers().get("Access-Control-Allow-Origin"))
                    .isEqualTo(APP);
            assertThat(ex.response().status()).isEqualTo(413);
        }

        @Test
        void adds_only_vary_for_an_origin_not_allowed() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP, "allow_credentials", true, "expose_headers", "X-A"));
            TestExchange ex = TestExchange.request("GET", "/")
                    .header("Origin", "https://evil.example.net")
                    .respond(200);

            policy.onResponse(ex);

            assertThat(ex.response().headers().snapshot()).containsOnly(Map.entry("Vary", List.of("Origin")));
        }

        @Test
        void never_allows_the_null_origin_on_responses() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "*"));
            TestExchange ex =
                    TestExchange.request("GET", "/").header("Origin", "null").respond(200);

            policy.onResponse(ex);

            assertThat(ex.response().headers().snapshot()).containsOnly(Map.entry("Vary", List.of("Origin")));
        }

        @Test
        void answers_any_origin_with_a_star_when_credentials_are_off() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "*"));
            TestExchange ex = TestExchange.request("GET", "/")
                    .header("Origin", "https://anyone.example.org")
                    .respond(200);

            policy.onResponse(ex);

            assertThat(ex.response().headers().get("Access-Control-Allow-Origin"))
                    .isEqualTo("*");
        }

        @Test
        void leaves_responses_to_requests_without_origin_alone() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", "*", "expose_headers", "X-A"));
            TestExchange ex = TestExchange.request("GET", "/").respond(200);
            ex.response().header("Content-Type", "text/plain");

            policy.onResponse(ex);

            assertThat(ex.response().headers().snapshot())
                    .containsOnly(Map.entry("Content-Type", List.of("text/plain")));
        }

        @Test
        void appends_origin_to_an_existing_vary() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex =
                    TestExchange.request("GET", "/").header("Origin", APP).respond(200);
            ex.response().header("Vary", "Accept-Encoding");

            policy.onResponse(ex);

            assertThat(ex.response().headers().getAll("Vary")).containsExactly("Accept-Encoding", "Origin");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Origin", "origin", "Accept-Encoding, ORIGIN", "Accept,Origin ", "*"})
        void does_not_duplicate_vary_origin(String vary) throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex =
                    TestExchange.request("GET", "/").header("Origin", APP).respond(200);
            ex.response().header("vary", vary);

            policy.onResponse(ex);

            assertThat(ex.response().headers().getAll("Vary")).containsExactly(vary);
        }

        @Test
        void does_not_duplicate_vary_origin_for_a_refused_origin() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex = TestExchange.request("GET", "/")
                    .header("Origin", "https://evil.example.net")
                    .respond(200);
            ex.response().header("Vary", "Accept-Encoding").header("Vary", "Origin");

            policy.onResponse(ex);

            assertThat(ex.response().headers().getAll("Vary")).containsExactly("Accept-Encoding", "Origin");
        }

        @Test
        void leaves_cors_headers_set_by_the_upstream_alone() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP, "allow_credentials", true));
            TestExchange ex =
                    TestExchange.request("GET", "/").header("Origin", APP).respond(200);
            ex.response().header("Access-Control-Allow-Origin", "https://upstream.example.com");

            policy.onResponse(ex);

            assertThat(ex.response().headers().snapshot())
                    .containsOnly(Map.entry("Access-Control-Allow-Origin", List.of("https://upstream.example.com")));
        }

        @Test
        void the_answer_to_an_allowed_preflight_is_not_changed_on_the_way_out() throws ConfigException {
            Policy policy = cors(Map.of("allow_origins", APP));
            TestExchange ex = preflight(APP, "GET");
            Decision.Respond r = allowed(decided(policy.onRequest(ex)));
            ex.respond(r.status());
            r.headers().forEach(ex.response()::header);

            policy.onResponse(ex);

            assertThat(ex.response().headers().getAll("Vary")).containsExactly(VARY_PREFLIGHT);
            assertThat(ex.response().headers().getAll("Access-Control-Allow-Origin"))
                    .containsExactly(APP);
        }
    }
}
