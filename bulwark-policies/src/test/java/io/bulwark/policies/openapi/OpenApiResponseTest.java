package io.bulwark.policies.openapi;

import static io.bulwark.policies.openapi.OpenApiFixtures.policy;
import static io.bulwark.policies.openapi.OpenApiFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Monitored;
import io.bulwark.api.Policy;
import io.bulwark.api.config.ConfigException;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.policies.TestBody;
import io.bulwark.policies.TestExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The response side against the sample API's contract: what leaves the gateway is what the API declares. */
class OpenApiResponseTest {
    private static final String USER =
            "{\"id\":1,\"name\":\"Alice\",\"email\":\"alice@example.com\",\"role\":\"customer\","
                    + "\"status\":\"active\",\"createdAt\":\"2024-01-01T00:00:00Z\"}";
    private static final String LEAKY_USER =
            USER.substring(0, USER.length() - 1) + ",\"passwordHash\":\"$2b$12$secretsecret\"}";

    private static OpenApiDocument doc;
    private static Policy enforce;

    @BeforeAll
    static void load() throws Exception {
        doc = OpenApiFixtures.shop();
        enforce = policy(doc);
    }

    private static TestExchange getUser(int status, String contentType) {
        TestExchange ex = request(doc, "GET", "/api/v2/users/1").respond(status);
        if (contentType != null) {
            ex.response().header("Content-Type", contentType);
        }
        return ex;
    }

    /** The response side as the gateway runs it: head, then the body when the policy asks for it. */
    private static Decision respond(Policy policy, TestExchange ex, TestBody body) {
        policy.onResponse(ex);
        if (!policy.inspectsResponseBody(ex)) {
            return Decision.proceed();
        }
        return policy.onResponseBody(ex, body);
    }

    private static List<String> monitored(TestExchange ex) {
        return ex.attribute(Attributes.MONITORED).map(Monitored::errorKeys).orElse(List.of());
    }

    @Test
    void removes_the_password_hash_from_get_user() {
        TestExchange ex = getUser(200, "application/json");
        TestBody body = TestBody.json(LEAKY_USER);
        assertThat(enforce.inspectsResponseBody(ex)).isTrue();
        assertThat(respond(enforce, ex, body)).isInstanceOf(Decision.Proceed.class);
        String sent = new String(body.bytes(), StandardCharsets.UTF_8);
        assertThat(sent).doesNotContain("passwordHash").doesNotContain("secret").contains("\"email\"");
        assertThat(monitored(ex)).isEmpty();
    }

    @Test
    void leaves_a_conforming_response_untouched() {
        TestExchange ex = getUser(200, "application/json; charset=utf-8");
        byte[] original = USER.getBytes(StandardCharsets.UTF_8);
        TestBody body = new TestBody(original, "application/json; charset=utf-8");
        assertThat(respond(enforce, ex, body)).isInstanceOf(Decision.Proceed.class);
        assertThat(body.bytes()).isSameAs(original); // never replaced
        assertThat(monitored(ex)).isEmpty();
    }

    @Test
    void fails_closed_on_malformed_json() {
        TestExchange ex = getUser(200, "application/json");
        Decision d = respond(enforce, ex, TestBody.json("{\"id\":1,"));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_RESPONSE_INVALID);
        assertThat(r.key().status()).isEqualTo(502);
    }

    @Test
    void fails_closed_on_duplicate_keys_and_on_a_body_over_max_response_bytes() throws Exception {
        Decision dup = respond(enforce, getUser(200, "application/json"), TestBody.json("{\"id\":1,\"id\":2}"));
        assertThat(((Decision.Reject) dup).key()).isEqualTo(OpenApiErrors.OAS_RESPONSE_INVALID);

        Policy small = policy(doc, Map.of("responses", Map.of("max_response_bytes", "64")));
        Decision big = respond(small, getUser(200, "application/json"), TestBody.json(USER));
        assertThat(((Decision.Reject) big).key()).isEqualTo(OpenApiErrors.OAS_RESPONSE_INVALID);
    }

    @Test
    void logs_an_undeclared_status_by_default_and_counts_it() {
        TestExchange ex = getUser(418, "application/json");
        TestBody body = TestBody.json("{\"teapot\":true}");
        assertThat(respond(enforce, ex, body)).isInstanceOf(Decision.Proceed.class);
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"teapot\":true}");
        assertThat(monitored(ex)).containsExactly("OAS_RESPONSE_UNDECLARED");
    }

    @Test
    void replaces_an_undeclared_status_when_asked() throws Exception {
        Policy replace = policy(doc, Map.of("responses", Map.of("undeclared_status", "replace")));
        TestExchange ex = getUser(418, "application/json");
        Decision d = respond(replace, ex, TestBody.json("{\"teapot\":true}"));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        assertThat(((Decision.Reject) d).key()).isEqualTo(OpenApiErrors.OAS_RESPONSE_UNDECLARED);
        assertThat(((Decision.Reject) d).key().status()).isEqualTo(502);
    }

    @Test
    void replaces_an_undeclared_content_type_when_asked() throws Exception {
        Policy replace = policy(doc, Map.of("responses", Map.of("undeclared_content_type", "replace")));
        Decision d = respond(replace, getUser(200, "text/html"), TestBody.of("<html/>", "text/html"));
        assertThat(((Decision.Reject) d).key()).isEqualTo(OpenApiErrors.OAS_RESPONSE_UNDECLARED);

        TestExchange logged = getUser(200, "text/html");
        assertThat(respond(enforce, logged, TestBody.of("<html/>", "text/html")))
                .isInstanceOf(Decision.Proceed.class);
        assertThat(monitored(logged)).containsExactly("OAS_RESPONSE_UNDECLARED");
    }

    @Test
    void monitor_mode_never_changes_or_rejects_a_response() throws Exception {
        Policy monitor = policy(
                doc,
                Map.of(
                        "mode",
                        "monitor",
                        "responses",
                        Map.of("undeclared_status", "replace", "undeclared_content_type", "replace")));
        byte[] leaky = LEAKY_USER.getBytes(StandardCharsets.UTF_8);
        TestBody body = new TestBody(leaky, "application/json");
        assertThat(respond(monitor, getUser(200, "application/json"), body)).isInstanceOf(Decision.Proceed.class);
        assertThat(body.bytes()).isSameAs(leaky);

        TestExchange malformed = getUser(200, "application/json");
        assertThat(respond(monitor, malformed, TestBody.json("{"))).isInstanceOf(Decision.Proceed.class);
        assertThat(monitored(malformed)).containsExactly("OAS_RESPONSE_INVALID");

        TestExchange teapot = getUser(418, "application/json");
        assertThat(respond(monitor, teapot, TestBody.json("{}"))).isInstanceOf(Decision.Proceed.class);
        assertThat(monitored(teapot)).containsExactly("OAS_RESPONSE_UNDECLARED");
    }

    @Test
    void leaves_gateway_answers_head_requests_and_unmatched_paths_alone() {
        TestExchange problem = request(doc, "GET", "/api/v2/users/1").respond(OpenApiErrors.OAS_PATH_UNKNOWN);
        assertThat(enforce.inspectsResponseBody(problem)).isFalse();
        TestExchange unknown = TestExchange.request("GET", "/internal/debug").respond(200);
        assertThat(enforce.inspectsResponseBody(unknown)).isFalse();
        TestExchange head = request(doc, "HEAD", "/api/v2/users/1").respond(200);
        head.response().header("Content-Type", "application/json");
        assertThat(enforce.inspectsResponseBody(head)).isFalse();
    }

    @Test
    void monitored_request_violations_are_counted() throws Exception {
        Policy monitor = policy(doc, Map.of("mode", "monitor"));
        TestExchange ex = request(doc, "GET", "/internal/debug");
        assertThat(TestExchange.decided(monitor.onRequest(ex))).isInstanceOf(Decision.Proceed.class);
        assertThat(monitored(ex)).containsExactly("OAS_PATH_UNKNOWN");
        assertThat(ex.attribute(OpenApiErrors.VIOLATIONS).orElseThrow()).containsExactly("OAS_PATH_UNKNOWN");
    }

    @Test
    void refuses_a_bad_responses_block() {
        assertThatThrownBy(() -> policy(doc, Map.of("responses", Map.of("undeclared_status", "drop"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("undeclared_status");
        assertThatThrownBy(() -> policy(doc, Map.of("responses", Map.of("stric", true))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("stric");
    }
}
