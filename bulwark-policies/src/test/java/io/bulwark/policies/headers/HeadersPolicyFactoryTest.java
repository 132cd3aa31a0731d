package io.bulwark.policies.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadersPolicyFactoryTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r1");
    /** Every place a header is named: section, operation. */
    private static final List<List<String>> PLACES = List.of(
            List.of("request", "set"),
            List.of("request", "remove"),
            List.of("response", "set"),
            List.of("response", "set_if_absent"),
            List.of("response", "remove"));

    private static Policy headers(Object config) throws ConfigException {
        return new HeadersPolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    private static ConfigException configError(Object config) {
        return assertThrows(ConfigException.class, () -> headers(config));
    }

    /** A config naming {@code name} in one place: a map entry for sets, a list item for removals. */
    private static Map<String, Object> naming(List<String> place, String name) {
        Object value = place.get(1).equals("remove") ? List.of(name) : Map.of(name, "v");
        return Map.of(place.get(0), Map.of(place.get(1), value));
    }

    @Test
    void is_named_headers_and_runs_in_the_respond_phase() throws ConfigException {
        assertThat(new HeadersPolicyFactory().name()).isEqualTo("headers");
        assertThat(headers(Map.of()).phase()).isEqualTo(Phase.RESPOND);
    }

    @Test
    void accepts_an_empty_or_null_config() throws ConfigException {
        assertThat(headers(Map.of())).isNotNull();
        assertThat(headers(null)).isNotNull();
    }

    @Test
    void accepts_every_option() throws ConfigException {
        assertThat(headers(Map.of(
                        "security_defaults", false,
                        "request", Map.of("set", Map.of("X-Forwarded-Prefix", "/api"), "remove", "X-Debug"),
                        "response",
                                Map.of(
                                        "set", Map.of("Referrer-Policy", "no-referrer"),
                                        "set_if_absent", Map.of("Permissions-Policy", "geolocation=()"),
                                        "remove", List.of("X-Internal")))))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\r\nSet-Cookie: session=evil", "a\u0000b", "\n", "nosniff\r"})
    void rejects_header_values_with_cr_lf_or_nul_everywhere(String value) {
        for (List<String> place :
                List.of(List.of("request", "set"), List.of("response", "set"), List.of("response", "set_if_absent"))) {
            Map<String, Object> config = Map.of(place.get(0), Map.of(place.get(1), Map.of("X-Test", value)));

            assertThat(configError(config).getMessage())
                    .as("%s", place)
                    .startsWith("test: " + place.get(0) + "." + place.get(1) + ".X-Test: found \"")
                    .endsWith("(expected: a header value of visible ASCII characters, spaces and tabs)")
                    .doesNotContain("\r")
                    .doesNotContain("\n")
                    .doesNotContain("\u0000");
        }
    }

    @Test
    void accepts_ordinary_header_values() throws ConfigException {
        assertThat(headers(Map.of(
                        "response",
                        Map.of(
                                "set",
                                Map.of(
                                        "Content-Security-Policy",
                                        "default-src 'none'; frame-ancestors 'none'",
                                        "X-Tab",
                                        "a\tb",
                                        "X-Empty",
                                        "")))))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X Bad", "X-Bad:", "", "X/Y", "(x)", "X-\u00dcmlaut", "X-Bad\t", "X-A,X-B", "X-A;"})
    void rejects_names_that_are_not_http_tokens_everywhere(String name) {
        for (List<String> place : PLACES) {
            assertThat(configError(naming(place, name)).getMessage())
                    .as("%s", place)
                    .endsWith("(expected: a header name (letters, digits and -))");
        }
    }

    @Test
    void limits_names_to_128_characters() throws ConfigException {
        String longest = "X-" + "a".repeat(126);

        assertThat(headers(naming(List.of("response", "set"), longest))).isNotNull();
        assertThat(configError(naming(List.of("response", "set"), longest + "a"))
                        .getMessage())
                .contains("a header name");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Content-Length",
                "content-length",
                "Transfer-Encoding",
                "Connection",
                "HOST",
                "Host",
                "Upgrade",
                "TE",
                "te",
                "Trailer"
            })
    void rejects_headers_the_gateway_manages_everywhere(String name) {
        for (List<String> place : PLACES) {
            assertThat(configError(naming(place, name)).getMessage())
                    .as("%s", place)
                    .contains("found the header name \"" + name + "\"")
                    .contains("a header the gateway does not manage itself");
        }
    }

    @Test
    void suggests_the_right_key_for_typos_at_every_level() {
        assertThat(configError(Map.of("securty_defaults", false)).getMessage())
                .isEqualTo("test: securty_defaults: found unknown key 'securty_defaults' (expected: a known key; did"
                        + " you mean 'security_defaults'?)");
        assertThat(configError(Map.of("response", Map.of("sett", Map.of("X-A", "b"))))
                        .getMessage())
                .isEqualTo("test: response.sett: found unknown key 'sett' (expected: a known key; did you mean"
                        + " 'set'?)");
        assertThat(configError(Map.of("response", Map.of("set_if_abent", Map.of("X-A", "b"))))
                        .getMessage())
                .contains("did you mean 'set_if_absent'?");
        assertThat(configError(Map.of("respons", Map.of())).getMessage()).contains("did you mean 'response'?");
    }

    @Test
    void request_rewrites_have_no_set_if_absent() {
        assertThat(configError(Map.of("request", Map.of("set_if_absent", Map.of("X-A", "b"))))
                        .getMessage())
                .isEqualTo("test: request.set_if_absent: found unknown key 'set_if_absent' (expected: one of the keys"
                        + " set, remove)");
    }

    @Test
    void rejects_values_of_the_wrong_shape() {
        assertThat(configError(Map.of("security_defaults", "yes")).getMessage())
                .isEqualTo("test: security_defaults: found \"yes\" (expected: true or false)");
        assertThat(configError(Map.of("response", List.of("X-A"))).getMessage())
                .isEqualTo("test: response: found a list (expected: an object)");
        assertThat(configError(Map.of("response", Map.of("set", List.of("X-A"))))
                        .getMessage())
                .isEqualTo("test: response.set: found a list (expected: an object)");
        assertThat(configError(Map.of("response", Map.of("set", Map.of("X-A", Map.of("b", "c")))))
                        .getMessage())
                .isEqualTo("test: response.set.X-A: found an object (expected: a string)");
        assertThat(configError(Map.of("request", Map.of("remove", Map.of("X-A", "b"))))
                        .getMessage())
                .isEqualTo("test: request.remove: found an object (expected: a list)");
    }

    /** Errors reach terminals and logs: an invalid name must not smuggle in escapes or extra lines. */
    @Test
    void escapes_control_characters_of_an_invalid_name_in_the_error() {
        String name = "X-Evil\u001b[2J\nbulwark.yaml:1:1: forged line";

        assertThat(configError(Map.of("response", Map.of("remove", List.of(name))))
                        .getMessage())
                .contains("response.remove")
                .doesNotContain("\u001b")
                .doesNotContain("\n");
    }
}
