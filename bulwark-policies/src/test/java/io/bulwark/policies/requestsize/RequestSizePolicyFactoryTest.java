package io.bulwark.policies.requestsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestSizePolicyFactoryTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r1");

    private static Policy requestSize(Object config) throws ConfigException {
        return new RequestSizePolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    private static ConfigException configError(Object config) {
        return assertThrows(ConfigException.class, () -> requestSize(config));
    }

    @Test
    void is_named_request_size_and_runs_in_the_validate_phase() throws ConfigException {
        assertThat(new RequestSizePolicyFactory().name()).isEqualTo("request-size");
        assertThat(requestSize(Map.of("max_headers", 10)).phase()).isEqualTo(Phase.VALIDATE);
    }

    @Test
    void requires_at_least_one_limit() {
        assertThat(configError(Map.of()).getMessage())
                .isEqualTo("test: <root>: found an object (expected: at least one of max_body_bytes, max_headers,"
                        + " max_query_length)");
        assertThat(configError(null).getMessage())
                .contains("at least one of max_body_bytes, max_headers, max_query_length");
    }

    @Test
    void accepts_each_limit_alone() throws ConfigException {
        assertThat(requestSize(Map.of("max_body_bytes", "64KiB"))).isNotNull();
        assertThat(requestSize(Map.of("max_headers", 1))).isNotNull();
        assertThat(requestSize(Map.of("max_query_length", 0))).isNotNull();
        assertThat(requestSize(Map.of("max_body_bytes", "1024GiB"))).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({
        "max_body_bytes, 10mb",
        "max_body_bytes, 1025GiB",
        "max_body_bytes, 1099511627777",
        "max_body_bytes, 99999999999999GiB",
        "max_body_bytes, -1",
        "max_body_bytes, 1.5MiB",
        "max_headers, 0",
        "max_headers, 10001",
        "max_headers, -1",
        "max_headers, many",
        "max_query_length, -1",
        "max_query_length, 1048577",
        "max_query_length, 1KiB"
    })
    void rejects_limits_out_of_range_or_malformed(String key, String value) {
        assertThat(configError(Map.of(key, value)).getMessage())
                .startsWith("test: " + key + ": found \"" + value + "\"");
    }

    @Test
    void suggests_the_right_key_for_a_typo() {
        assertThat(configError(Map.of("max_body_bytes", "1KiB", "max_body_byte", "2KiB"))
                        .getMessage())
                .isEqualTo("test: max_body_byte: found unknown key 'max_body_byte' (expected: a known key; did you"
                        + " mean 'max_body_bytes'?)");
    }

    @Test
    void rejects_a_config_that_is_not_an_object() {
        assertThat(configError("64KiB").getMessage()).contains("(expected: an object)");
    }
}
