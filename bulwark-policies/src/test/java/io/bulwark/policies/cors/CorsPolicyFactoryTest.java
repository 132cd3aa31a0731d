package io.bulwark.policies.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.api.config.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsPolicyFactoryTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r1");
    private static final String APP = "https://app.example.com";

    private static Policy cors(Map<String, ?> config) throws ConfigException {
        return new CorsPolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    private static ConfigException configError(Map<String, ?> config) {
        return assertThrows(ConfigException.class, () -> cors(config));
    }

    @Test
    void is_named_cors_and_runs_in_the_connect_phase() throws ConfigException {
        assertThat(new CorsPolicyFactory().name()).isEqualTo("cors");
        assertThat(cors(Map.of("allow_origins", List.of(APP))).phase()).isEqualTo(Phase.CONNECT);
    }

    @Test
    void accepts_a_full_config() throws ConfigException {
        Policy policy = cors(Map.of(
                "allow_origins",
                List.of(APP, "https://*.example.com", "http://localhost:3000"),
                "allow_methods",
                List.of("GET", "put", "DELETE"),
                "allow_headers",
                List.of("Content-Type", "X-Api-Key"),
                "expose_headers",
                "X-Request-Id",
                "allow_credentials",
                true,
                "max_age",
                "1d"));

        assertThat(policy).isNotNull();
    }

    @Test
    void requires_allow_origins() {
        assertThat(configError(Map.of("allow_methods", List.of("GET"))).getMessage())
                .isEqualTo("test: allow_origins: found nothing (expected: the required key 'allow_origins')");
    }

    @Test
    void requires_at_least_one_origin() {
        assertThat(configError(Map.of("allow_origins", List.of())).getMessage())
                .isEqualTo("test: allow_origins: found a list (expected: at least one origin)");
    }

    @Test
    void requires_a_config_object() {
        assertThrows(
                ConfigException.class, () -> new CorsPolicyFactory().create(ConfigNode.fromValue(null, "t"), CONTEXT));
        assertThrows(
                ConfigException.class, () -> new CorsPolicyFactory().create(ConfigNode.fromValue(APP, "t"), CONTEXT));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "app.example.com",
                "https://app.example.com/",
                "https://app.example.com/path",
                "ftp://app.example.com",
                "https://",
                "*.example.com",
                "https://*",
                "https://*.*.example.com",
                "https://a.*.example.com",
                "https://*example.com",
                "https://user@app.example.com",
                "https://app.example.com:123456",
                "https://app.example.com:",
                "https://app.example.com?x",
                "https://app_example.com",
                "https://[::1]",
                "null",
                "**",
                " https://app.example.com"
            })
    void rejects_malformed_origin_patterns(String origin) {
        assertThat(configError(Map.of("allow_origins", List.of(APP, origin))).getMessage())
                .startsWith("test: allow_origins")
                .endsWith("(expected: origins like https://app.example.com, https://*.example.com or *)");
    }

    @Test
    void refuses_any_origin_together_with_credentials() {
        assertThat(configError(Map.of("allow_origins", "*", "allow_credentials", true))
                        .getMessage())
                .contains("allow_origins")
                .contains("explicit origins when allow_credentials is true");
        assertThat(configError(Map.of("allow_origins", List.of(APP, "*"), "allow_credentials", true))
                        .getMessage())
                .contains("explicit origins when allow_credentials is true");
    }

    @Test
    void accepts_any_origin_without_credentials() throws ConfigException {
        assertThat(cors(Map.of("allow_origins", "*", "allow_credentials", false)))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET POST", "GET,POST", "", "G\u00c9T", "GET\n", "GET:", "(GET)"})
    void rejects_methods_that_are_not_http_tokens(String method) {
        assertThat(configError(Map.of("allow_origins", APP, "allow_methods", List.of("GET", method)))
                        .getMessage())
                .startsWith("test: allow_methods")
                .endsWith("(expected: HTTP tokens (header or method names))");
    }

    @ParameterizedTest
    @ValueSource(strings = {"allow_headers", "expose_headers"})
    void rejects_header_names_that_are_not_http_tokens(String key) {
        assertThat(configError(Map.of("allow_origins", APP, key, List.of("X Api Key")))
                        .getMessage())
                .isEqualTo(
                        "test: " + key + "[0]: found \"X Api Key\" (expected: HTTP tokens (header or method names))");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2d", "25h", "86401s", "-1s", "10", "10 m", "1.5h", "forever"})
    void rejects_max_age_outside_0s_to_1d_or_malformed(String maxAge) {
        assertThat(configError(Map.of("allow_origins", APP, "max_age", maxAge)).getMessage())
                .startsWith("test: max_age: found \"" + maxAge + "\"")
                .contains("to 1d)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "1d", "24h", "86400s"})
    void accepts_max_age_bounds(String maxAge) throws ConfigException {
        assertThat(cors(Map.of("allow_origins", APP, "max_age", maxAge))).isNotNull();
    }

    @Test
    void rejects_a_non_boolean_allow_credentials() {
        assertThat(configError(Map.of("allow_origins", APP, "allow_credentials", "yes"))
                        .getMessage())
                .isEqualTo("test: allow_credentials: found \"yes\" (expected: true or false)");
    }

    @Test
    void suggests_the_right_key_for_a_typo() {
        assertThat(configError(Map.of("allow_origins", APP, "allowed_methods", List.of("GET")))
                        .getMessage())
                .isEqualTo("test: allowed_methods: found unknown key 'allowed_methods' (expected: a known key; did"
                        + " you mean 'allow_methods'?)");
        assertThat(configError(Map.of("allow_origins", APP, "max_agee", "1m")).getMessage())
                .contains("did you mean 'max_age'?");
    }

    @Test
    void lists_the_known_keys_for_an_unrelated_key() {
        assertThat(configError(Map.of("allow_origins", APP, "strict", true)).getMessage())
                .isEqualTo("test: strict: found unknown key 'strict' (expected: one of the keys allow_origins,"
                        + " allow_methods, allow_headers, expose_headers, allow_credentials, max_age)");
    }

    /** The docs promise that values from ${env:...} or ${file:...} are never printed in an error. */
    @Test
    void never_prints_a_secret_origin_in_an_error() {
        Location loc = new Location("bulwark.yaml", 4, 22);
        String secret = "https://internal-token-4f9a8c/";
        ConfigNode origins = ConfigNode.list(
                "allow_origins", loc, List.of(ConfigNode.scalar("allow_origins[0]", loc, secret, true)));
        ConfigNode config = ConfigNode.object("", loc, Map.of("allow_origins", origins));

        ConfigException e = assertThrows(ConfigException.class, () -> new CorsPolicyFactory().create(config, CONTEXT));

        assertThat(e.getMessage()).contains("allow_origins").doesNotContain("internal-token-4f9a8c");
    }

    /** Errors reach terminals and logs: an invalid value must not smuggle in escapes or extra lines. */
    @Test
    void escapes_control_characters_of_an_invalid_origin_in_the_error() {
        String origin = "https://app.example.com\u001b[2J\nbulwark.yaml:1:1: forged line";

        assertThat(configError(Map.of("allow_origins", List.of(origin))).getMessage())
                .contains("allow_origins")
                .doesNotContain("\u001b")
                .doesNotContain("\n");
    }
}
