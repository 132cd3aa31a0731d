package io.bulwark.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {
    @ParameterizedTest
    @CsvSource({
        "/, /",
        "/a/b, /a/b",
        "/a/b/, /a/b/",
        "/a//b, /a/b",
        "/a/./b, /a/b",
        "/a/b/.., /a/",
        "/a/b/../c, /a/c",
        "/a/%2e%2e/b, /b",
        "/a/%2E/b, /a/b",
        "/%61%62c, /abc",
        "/a%20b, /a%20b",
        "/a%3fb, /a%3Fb",
        "/a/.hidden, /a/.hidden",
        "/a/..., /a/...",
        "/./, /",
    })
    void normalizes(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a",
                "/..",
                "/a/../..",
                "/%2e%2e",
                "/a%2fb",
                "/a%2Fb",
                "/a%5cb",
                "/a\\b",
                "/a%00b",
                "/a%0d%0a",
                "/a%",
                "/a%g1",
                "/a%1",
                "/\u0001"
            })
    void refuses(String raw) {
        assertThat(PathNormalizer.normalize(raw)).isNull();
    }

    @org.junit.jupiter.api.Test
    void returns_the_same_instance_for_clean_paths() {
        String p = "/api/v2/orders/123";
        assertThat(PathNormalizer.normalize(p)).isSameAs(p);
    }
}
