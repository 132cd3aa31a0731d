package io.bulwark.policies.inspect;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Monitored;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.inspect.Category;
import io.bulwark.inspect.Detector;
import io.bulwark.inspect.Finding;
import io.bulwark.inspect.InspectedValue;
import io.bulwark.inspect.Inspector;
import io.bulwark.inspect.InspectorConfig;
import io.bulwark.policies.TestBody;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The policy's decisions, with stand-in detectors that fire on marker words (the detectors have their own tests). */
class InspectPolicyTest {
    /** Fires its category on any value containing {@code marker}. */
    record Marker(Category category, String marker) implements Detector {
        @Override
        public void inspect(InspectedValue value, Consumer<Finding> findings) {
            for (String form : value.forms()) {
                if (form.contains(marker)) {
                    findings.accept(new Finding(category, 0.9, value.location(), marker, 1));
                    return;
                }
            }
        }
    }

    private static InspectPolicy policy(Map<Category, InspectPolicy.Action> actions, boolean body) {
        Inspector inspector = Inspector.create(
                new InspectorConfig(1, EnumSet.allOf(Category.class), 4096, 32, 1000),
                List.of(new Marker(Category.SQLI, "SQLI!"), new Marker(Category.XSS, "XSS!")));
        Map<Category, InspectPolicy.Action> all = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            all.put(c, InspectPolicy.Action.BLOCK);
        }
        all.putAll(actions);
        return new InspectPolicy(inspector, all, body);
    }

    @Test
    void blocks_a_query_value_with_a_403_naming_category_and_place_but_not_the_payload() {
        Decision d = decided(policy(Map.of(), true)
                .onRequest(TestExchange.request("GET", "/search").query("q=SQLI!")));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(InspectErrors.INSPECT_SQLI);
        assertThat(r.key().status()).isEqualTo(403);
        assertThat(r.detail()).isEqualTo("sqli in query.q").doesNotContain("SQLI!");
    }

    @Test
    void inspects_headers_and_path() {
        assertThat(decided(policy(Map.of(), false)
                        .onRequest(TestExchange.request("GET", "/a").header("User-Agent", "XSS!"))))
                .isInstanceOf(Decision.Reject.class);
        assertThat(decided(policy(Map.of(), false).onRequest(TestExchange.request("GET", "/items/SQLI!"))))
                .isInstanceOf(Decision.Reject.class);
        assertThat(decided(policy(Map.of(), false).onRequest(TestExchange.request("GET", "/fine?q=hello"))))
                .isEqualTo(Decision.proceed());
    }

    @Test
    void monitor_lets_the_request_through_and_reports_the_key() {
        TestExchange ex = TestExchange.request("GET", "/s").query("a=SQLI!&b=XSS!");
        Decision d = decided(policy(Map.of(Category.SQLI, InspectPolicy.Action.MONITOR), false)
                .onRequest(ex));
        assertThat(((Decision.Reject) d).key()).isEqualTo(InspectErrors.INSPECT_XSS);
        assertThat(ex.attribute(Attributes.MONITORED).map(Monitored::errorKeys).orElseThrow())
                .containsExactly("INSPECT_SQLI");
        TestExchange quiet = TestExchange.request("GET", "/s").query("a=XSS!");
        assertThat(decided(policy(Map.of(Category.XSS, InspectPolicy.Action.OFF), false)
                        .onRequest(quiet)))
                .isEqualTo(Decision.proceed());
    }

    @Test
    void with_a_text_body_everything_is_inspected_once_with_the_body() {
        InspectPolicy p = policy(Map.of(), true);
        TestExchange ex = TestExchange.request("POST", "/orders")
                .query("q=SQLI!")
                .header("Content-Type", "application/json")
                .contentLength(20);
        assertThat(p.inspectsRequestBody(ex)).isTrue();
        assertThat(decided(p.onRequest(ex))).isEqualTo(Decision.proceed());
        Decision d = decided(p.onRequestBody(ex, TestBody.json("{\"note\":\"fine\"}")));
        assertThat(((Decision.Reject) d).detail()).isEqualTo("sqli in query.q");
        Decision body = decided(p.onRequestBody(
                TestExchange.request("POST", "/o")
                        .header("Content-Type", "application/json")
                        .contentLength(20),
                TestBody.json("{\"note\":{\"x\":\"XSS!\"}}")));
        assertThat(((Decision.Reject) body).detail()).isEqualTo("xss in json./note/x");
    }

    @Test
    void binary_bodies_and_bodiless_requests_are_not_buffered() {
        InspectPolicy p = policy(Map.of(), true);
        assertThat(p.inspectsRequestBody(TestExchange.request("POST", "/u")
                        .header("Content-Type", "image/png")
                        .contentLength(100)))
                .isFalse();
        assertThat(p.inspectsRequestBody(TestExchange.request("GET", "/u"))).isFalse();
        assertThat(p.inspectsRequestBody(TestExchange.request("POST", "/u").contentLength(0)))
                .isFalse();
        assertThat(policy(Map.of(), false)
                        .inspectsRequestBody(TestExchange.request("POST", "/u")
                                .header("Content-Type", "application/json")
                                .contentLength(5)))
                .isFalse();
        assertThat(InspectPolicy.isText("application/problem+json; charset=utf-8"))
                .isTrue();
        assertThat(InspectPolicy.isText("multipart/form-data; boundary=x")).isTrue();
        assertThat(InspectPolicy.isText("application/octet-stream")).isFalse();
    }

    @Test
    void names_chosen_by_the_client_are_made_safe_before_they_reach_a_detail() {
        assertThat(InspectPolicy.safe("query.a\r\nb")).isEqualTo("query.a??b");
        assertThat(InspectPolicy.safe("x".repeat(200))).hasSize(83);
    }

    @Test
    void config_is_validated() {
        PolicyContext ctx = new PolicyContext(Path.of("."), "r");
        InspectPolicyFactory f = new InspectPolicyFactory();
        assertThatThrownBy(() -> f.create(ConfigNode.fromValue(Map.of("paranoia", 5), "t"), ctx))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("paranoia");
        assertThatThrownBy(() ->
                        f.create(ConfigNode.fromValue(Map.of("categories", Map.of("sqly", "block")), "t"), ctx))
                .hasMessageContaining("sqli");
        assertThatThrownBy(() ->
                        f.create(ConfigNode.fromValue(Map.of("categories", Map.of("sqli", "maybe")), "t"), ctx))
                .hasMessageContaining("block");
        Map<String, Object> allOff = new java.util.HashMap<>();
        Map<String, Object> cats = new java.util.HashMap<>();
        for (Category c : Category.values()) {
            cats.put(c.wireName(), "off");
        }
        allOff.put("categories", cats);
        assertThatThrownBy(() -> f.create(ConfigNode.fromValue(allOff, "t"), ctx))
                .hasMessageContaining("at least one");
    }
}
