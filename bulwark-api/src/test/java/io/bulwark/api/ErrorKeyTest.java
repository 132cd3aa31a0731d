package io.bulwark.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"RATE_LIMITED", "AB", "A1", "CORS_REJECTED", "X_2_Y"})
    void accepts_upper_case_keys(String key) {
        assertThat(new ErrorKey(key, 429, "title").key()).isEqualTo(key);
    }

    @Test
    void accepts_keys_up_to_64_characters() {
        String key = "K" + "_".repeat(63);

        assertThat(new ErrorKey(key, 400, "t").key()).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "A",
                "rate_limited",
                "Rate_Limited",
                "1RATE",
                "_RATE",
                "RATE-LIMITED",
                "RATE LIMITED",
                "RATE.LIMITED",
                "RATE_LIMITED\n",
                "\u00c4RGER",
                "RATE_\u0130"
            })
    void rejects_keys_that_are_not_upper_case_identifiers(String key) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ErrorKey(key, 400, "title"))
                .withMessageContaining("expected: upper-case letters, digits and _");
    }

    @Test
    void rejects_keys_longer_than_64_characters() {
        String key = "K" + "_".repeat(64);

        assertThatIllegalArgumentException().isThrownBy(() -> new ErrorKey(key, 400, "t"));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 431, 500, 599})
    void accepts_error_statuses(int status) {
        assertThat(new ErrorKey("SOME_ERROR", status, "t").status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(ints = {-400, 0, 200, 302, 399, 600, 999})
    void rejects_statuses_outside_400_to_599(int status) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ErrorKey("SOME_ERROR", status, "t"))
                .withMessage("status: " + status + " (expected: 400..599)");
    }

    @Test
    void requires_a_key_and_a_title() {
        assertThatNullPointerException().isThrownBy(() -> new ErrorKey(null, 400, "t"));
        assertThatNullPointerException().isThrownBy(() -> new ErrorKey("SOME_ERROR", 400, null));
    }

    @Test
    void keys_with_the_same_content_are_equal() {
        assertThat(new ErrorKey("SOME_ERROR", 400, "t")).isEqualTo(new ErrorKey("SOME_ERROR", 400, "t"));
        assertThat(new ErrorKey("SOME_ERROR", 400, "t")).isNotEqualTo(new ErrorKey("SOME_ERROR", 401, "t"));
    }

    @Test
    void gateway_error_keys_are_unique() {
        List<ErrorKey> keys = List.of(
                ErrorKeys.BAD_REQUEST,
                ErrorKeys.ROUTE_NOT_FOUND,
                ErrorKeys.REQUEST_TIMEOUT,
                ErrorKeys.BODY_TOO_LARGE,
                ErrorKeys.URI_TOO_LONG,
                ErrorKeys.HEADERS_TOO_LARGE,
                ErrorKeys.INTERNAL_ERROR,
                ErrorKeys.UPSTREAM_UNAVAILABLE,
                ErrorKeys.UPSTREAM_ERROR,
                ErrorKeys.UPSTREAM_SERVER_ERROR,
                ErrorKeys.UPSTREAM_TIMEOUT,
                ErrorKeys.ADMIN_UNAUTHORIZED,
                ErrorKeys.ADMIN_NOT_FOUND,
                ErrorKeys.METHOD_NOT_ALLOWED,
                ErrorKeys.CONFIG_INVALID);

        assertThat(keys).extracting(ErrorKey::key).doesNotHaveDuplicates();
        assertThat(ErrorKeys.BODY_TOO_LARGE.status()).isEqualTo(413);
        assertThat(ErrorKeys.URI_TOO_LONG.status()).isEqualTo(414);
        assertThat(ErrorKeys.HEADERS_TOO_LARGE.status()).isEqualTo(431);
    }
}
