package io.bulwark.policies.auth.apikey;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.Principal;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import io.bulwark.policies.auth.jwt.JwtErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyPolicyTest {
    static final String KEY_A = "ak_live_7f3c9e1b2a4d6f8e0c1a3b5d7f9e2c4a";
    static final String KEY_B = "ak_live_0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";

    static String hashOf(String key) {
        return "sha256:" + HexFormat.of().formatHex(ApiKeyPolicy.sha256(key));
    }

    static Map<String, Object> key(String id, String hash, List<String> scopes) {
        Map<String, Object> k = new HashMap<>();
        k.put("id", id);
        k.put("hash", hash);
        k.put("scopes", scopes);
        return k;
    }

    static Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put(
                "keys",
                new ArrayList<>(List.of(
                        key("billing-app", hashOf(KEY_A), List.of("orders:read", "orders:write")),
                        key("reporting", hashOf(KEY_B), List.of()))));
        return c;
    }

    static Policy create(Map<String, Object> config) throws ConfigException {
        return new ApiKeyPolicyFactory()
                .create(ConfigNode.fromValue(config, "test.yaml"), new PolicyContext(Path.of("."), "r1"));
    }

    static String failure(Map<String, Object> config) {
        Throwable t = catchThrowable(() -> create(config));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    private final Policy policy;

    ApiKeyPolicyTest() throws ConfigException {
        policy = create(config());
    }

    private Decision run(TestExchange exchange) {
        return decided(policy.onRequest(exchange));
    }

    private static TestExchange withKey(String key) {
        return TestExchange.request("GET", "/orders").header("X-Api-Key", key);
    }

    private static Decision.Reject assertRejected(Decision d, ErrorKey key) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(key);
        assertThat(r.headers()).containsEntry("WWW-Authenticate", "ApiKey realm=\"bulwark\", header=\"X-Api-Key\"");
        return r;
    }

    // ---- factory

    @Test
    void is_named_api_key_and_authenticates() {
        assertThat(new ApiKeyPolicyFactory().name()).isEqualTo("api-key");
        assertThat(policy.phase()).isEqualTo(Phase.AUTHENTICATE);
    }

    @Test
    void refuses_authorization_as_the_header_in_any_case() {
        for (String name : List.of("Authorization", "authorization", "AUTHORIZATION")) {
            var c = config();
            c.put("header", name);
            assertThat(failure(c)).contains("header").contains("jwt");
        }
    }

    @Test
    void refuses_a_header_name_that_is_not_a_token() {
        var c = config();
        c.put("header", "X Api Key");
        assertThat(failure(c)).contains("header").contains("HTTP token");
    }

    @Test
    void requires_at_least_one_key() {
        assertThat(failure(new HashMap<>())).contains("the required key 'keys'");
        var c = config();
        c.put("keys", List.of());
        assertThat(failure(c)).contains("at least one key");
    }

    @Test
    void refuses_a_hash_without_the_prefix_and_never_echoes_it() {
        var c = config();
        c.put("keys", List.of(key("a", KEY_A, List.of())));
        assertThat(failure(c)).contains("keys[0].hash").contains("sha256:").doesNotContain(KEY_A);
        String bare = hashOf(KEY_A).substring("sha256:".length());
        c.put("keys", List.of(key("a", bare, List.of())));
        assertThat(failure(c)).contains("sha256:").doesNotContain(bare);
        c.put("keys", List.of(key("a", "SHA256:" + bare, List.of())));
        assertThat(failure(c)).contains("keys[0].hash");
    }

    @Test
    void refuses_a_hash_of_the_wrong_length_or_not_hex() {
        String hex = hashOf(KEY_A).substring("sha256:".length());
        for (String bad : List.of(
                "sha256:" + hex.substring(1), "sha256:" + hex + "0", "sha256:" + hex.substring(1) + "g", "sha256:")) {
            var c = config();
            c.put("keys", List.of(key("a", bad, List.of())));
            assertThat(failure(c)).as(bad).contains("keys[0].hash").contains("64 hex digits");
        }
    }

    @Test
    void accepts_upper_case_hex() throws ConfigException {
        String upper = "sha256:" + hashOf(KEY_A).substring("sha256:".length()).toUpperCase(Locale.ROOT);
        var c = config();
        c.put("keys", List.of(key("a", upper, List.of())));
        Policy p = create(c);
        assertThat(decided(p.onRequest(withKey(KEY_A)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void refuses_duplicate_ids_and_duplicate_hashes() {
        var c = config();
        c.put("keys", List.of(key("a", hashOf(KEY_A), List.of()), key("a", hashOf(KEY_B), List.of())));
        assertThat(failure(c)).contains("keys[1].id").contains("duplicate id 'a'");
        String upper = "sha256:" + hashOf(KEY_A).substring("sha256:".length()).toUpperCase(Locale.ROOT);
        c.put("keys", List.of(key("a", hashOf(KEY_A), List.of()), key("b", upper, List.of())));
        assertThat(failure(c)).contains("keys[1].hash").contains("the hash of key 'a' again");
    }

    @Test
    void refuses_unknown_settings_with_a_suggestion() {
        var c = config();
        c.put("haeder", "X-Key");
        assertThat(failure(c)).contains("unknown key 'haeder'").contains("did you mean 'header'");
        var d = config();
        d.put("keys", List.of(Map.of("id", "a", "hash", hashOf(KEY_A), "scope", List.of("x"))));
        assertThat(failure(d)).contains("unknown key 'scope'").contains("did you mean 'scopes'");
    }

    @Test
    void refuses_a_missing_or_blank_id() {
        var c = config();
        c.put("keys", List.of(Map.of("hash", hashOf(KEY_A))));
        assertThat(failure(c)).contains("the required key 'id'");
        c.put("keys", List.of(Map.of("id", " ", "hash", hashOf(KEY_A))));
        assertThat(failure(c)).contains("keys[0].id");
    }

    // ---- requests

    @Test
    void a_valid_key_publishes_the_principal_and_is_not_forwarded() {
        TestExchange ex = withKey(KEY_A).header("Accept", "application/json");
        assertThat(run(ex)).isInstanceOf(Decision.Proceed.class);
        Principal p = ex.attribute(Attributes.PRINCIPAL).orElseThrow();
        assertThat(p)
                .isEqualTo(new Principal(
                        "billing-app",
                        "billing-app",
                        Set.of("orders:read", "orders:write"),
                        Map.of(),
                        "api-key",
                        null));
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("billing-app");
        assertThat(ex.requestHeaders().contains("X-Api-Key")).isFalse();
        assertThat(ex.requestHeaders().get("Accept")).isEqualTo("application/json");
    }

    @Test
    void the_second_key_matches_its_own_consumer() {
        TestExchange ex = withKey(KEY_B);
        assertThat(run(ex)).isInstanceOf(Decision.Proceed.class);
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("reporting");
    }

    @Test
    void the_header_name_is_case_insensitive() {
        TestExchange ex = TestExchange.request("GET", "/").header("x-api-key", KEY_A);
        assertThat(run(ex)).isInstanceOf(Decision.Proceed.class);
        assertThat(ex.requestHeaders().names()).isEmpty();
    }

    @Test
    void a_configured_header_is_used_instead_of_the_default() throws ConfigException {
        var c = config();
        c.put("header", "X-Partner-Key");
        Policy p = create(c);
        assertThat(decided(p.onRequest(withKey(KEY_A)))).isInstanceOf(Decision.Reject.class);
        TestExchange ex = TestExchange.request("GET", "/").header("X-Partner-Key", KEY_A);
        assertThat(decided(p.onRequest(ex))).isInstanceOf(Decision.Proceed.class);
        assertThat(ex.requestHeaders().contains("X-Partner-Key")).isFalse();
        Decision.Reject r = (Decision.Reject) decided(p.onRequest(TestExchange.request("GET", "/?x-partner-key=1")
                .query("x-partner-key=1")
                .header("X-Partner-Key", KEY_A)));
        assertThat(r.key()).isEqualTo(ApiKeyErrors.APIKEY_IN_QUERY);
        assertThat(r.headers()).containsEntry("WWW-Authenticate", "ApiKey realm=\"bulwark\", header=\"X-Partner-Key\"");
    }

    @Test
    void a_wrong_key_is_invalid_and_never_echoed() {
        String wrong = KEY_A.substring(0, KEY_A.length() - 1) + "b";
        TestExchange ex = withKey(wrong);
        Decision.Reject r = assertRejected(run(ex), ApiKeyErrors.APIKEY_INVALID);
        assertThat(r.detail()).doesNotContain(wrong).doesNotContain("ak_live");
        assertThat(r.headers().toString()).doesNotContain(wrong);
        assertThat(ex.attribute(Attributes.PRINCIPAL)).isEmpty();
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).isEmpty();
    }

    @Test
    void the_hash_itself_is_not_a_key() {
        assertRejected(run(withKey(hashOf(KEY_A))), ApiKeyErrors.APIKEY_INVALID);
        assertRejected(run(withKey(hashOf(KEY_A).substring("sha256:".length()))), ApiKeyErrors.APIKEY_INVALID);
    }

    @Test
    void a_key_with_surrounding_or_changed_case_is_invalid() {
        assertRejected(run(withKey(KEY_A.toUpperCase(Locale.ROOT))), ApiKeyErrors.APIKEY_INVALID);
        assertRejected(run(withKey(KEY_A + " ")), ApiKeyErrors.APIKEY_INVALID);
        assertRejected(run(withKey("")), ApiKeyErrors.APIKEY_INVALID);
    }

    @Test
    void a_missing_key_is_auth_missing() {
        Decision.Reject r = assertRejected(run(TestExchange.request("GET", "/")), ApiKeyErrors.AUTH_MISSING);
        assertThat(r.key()).isSameAs(JwtErrors.AUTH_MISSING);
        assertThat(r.key().key()).isEqualTo("AUTH_MISSING");
        assertThat(r.detail()).contains("X-Api-Key");
    }

    @Test
    void a_bearer_token_is_not_an_api_key() {
        TestExchange ex = TestExchange.request("GET", "/").header("Authorization", "Bearer " + KEY_A);
        assertRejected(run(ex), ApiKeyErrors.AUTH_MISSING);
    }

    @Test
    void a_duplicated_header_is_invalid_even_when_both_are_valid() {
        TestExchange ex = withKey(KEY_A).header("X-Api-Key", KEY_A);
        Decision.Reject r = assertRejected(run(ex), ApiKeyErrors.APIKEY_INVALID);
        assertThat(r.detail()).doesNotContain(KEY_A);
        TestExchange mixed = withKey("wrong").header("x-api-key", KEY_B);
        assertRejected(run(mixed), ApiKeyErrors.APIKEY_INVALID);
        assertThat(mixed.attribute(Attributes.PRINCIPAL)).isEmpty();
    }

    @Test
    void an_oversized_key_is_invalid() {
        assertRejected(run(withKey("k".repeat(ApiKeyPolicy.MAX_KEY_LENGTH + 1))), ApiKeyErrors.APIKEY_INVALID);
        assertRejected(run(withKey("k".repeat(100_000))), ApiKeyErrors.APIKEY_INVALID);
    }

    @Test
    void a_key_of_exactly_the_maximum_length_is_accepted() throws ConfigException {
        String longKey = "k".repeat(ApiKeyPolicy.MAX_KEY_LENGTH);
        var c = config();
        c.put("keys", List.of(key("long", hashOf(longKey), List.of())));
        assertThat(decided(create(c).onRequest(withKey(longKey)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void a_key_in_the_query_is_refused_even_when_valid_and_even_with_a_valid_header() {
        for (String q : List.of(
                "api_key=" + KEY_A,
                "apikey=" + KEY_A,
                "api-key=" + KEY_A,
                "key=" + KEY_A,
                "x-api-key=" + KEY_A,
                "X-Api-Key=" + KEY_A,
                "page=2&API_KEY=" + KEY_A,
                "api%5Fkey=" + KEY_A,
                "key")) {
            TestExchange ex = withKey(KEY_A).query(q);
            Decision.Reject r = assertRejected(run(ex), ApiKeyErrors.APIKEY_IN_QUERY);
            assertThat(r.detail()).as(q).doesNotContain(KEY_A);
            assertThat(ex.attribute(Attributes.PRINCIPAL)).as(q).isEmpty();
            TestExchange noHeader = TestExchange.request("GET", "/").query(q);
            assertRejected(run(noHeader), ApiKeyErrors.APIKEY_IN_QUERY);
        }
    }

    @Test
    void other_query_parameters_are_fine() {
        TestExchange ex = withKey(KEY_A).query("keys=1&monkey=2&sort=key&api_keys=3");
        assertThat(run(ex)).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void every_configured_hash_is_compared_whichever_matches() {
        byte[][] hashes = new byte[5][];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = ApiKeyPolicy.sha256("key-" + i);
        }
        for (int match = -1; match < hashes.length; match++) {
            List<Integer> compared = new ArrayList<>();
            byte[] digest = ApiKeyPolicy.sha256("key-" + match);
            assertThat(ApiKeyPolicy.find(hashes, digest, compared::add)).isEqualTo(match);
            assertThat(compared).containsExactly(0, 1, 2, 3, 4);
        }
    }
}
