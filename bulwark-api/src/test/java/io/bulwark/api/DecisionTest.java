package io.bulwark.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionTest {
    private static final ErrorKey KEY = new ErrorKey("TEST_REJECTED", 403, "Test rejection");

    @Test
    void proceed_is_a_shared_instance() {
        assertThat(Decision.proceed()).isSameAs(Decision.proceed()).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void proceed_stage_is_shared_and_already_completed_with_proceed() {
        CompletionStage<Decision> stage = Decision.proceedStage();

        // compared by reference: AssertJ would wrap a stage in a new future (and the shared stage is minimal)
        assertThat(stage == Decision.proceedStage())
                .as("the same stage every time")
                .isTrue();
        assertThat(stage.toCompletableFuture()).isCompletedWithValue(Decision.proceed());
    }

    @Test
    void proceed_as_stage_reuses_the_shared_stage() {
        assertThat(Decision.proceed().asStage() == Decision.proceedStage())
                .as("asStage() of proceed returns the shared stage")
                .isTrue();
    }

    @Test
    void reject_as_stage_completes_with_the_same_decision() {
        Decision reject = Decision.reject(KEY, "no");

        assertThat(reject.asStage().toCompletableFuture()).isCompletedWithValue(reject);
    }

    @Test
    void respond_as_stage_completes_with_the_same_decision() {
        Decision respond = Decision.respond(204, Map.of());

        assertThat(respond.asStage().toCompletableFuture()).isCompletedWithValue(respond);
    }

    @Test
    void reject_without_headers_has_none() {
        Decision.Reject reject = (Decision.Reject) Decision.reject(KEY, "origin not allowed");

        assertThat(reject.key()).isSameAs(KEY);
        assertThat(reject.detail()).isEqualTo("origin not allowed");
        assertThat(reject.headers()).isEmpty();
    }

    @Test
    void reject_requires_a_key_a_detail_and_headers() {
        assertThatNullPointerException().isThrownBy(() -> Decision.reject(null, "detail"));
        assertThatNullPointerException().isThrownBy(() -> Decision.reject(KEY, null));
        assertThatNullPointerException().isThrownBy(() -> Decision.reject(KEY, "detail", null));
    }

    @Test
    void reject_copies_its_headers_so_later_changes_do_not_leak_in() {
        Map<String, String> headers = new HashMap<>(Map.of("Retry-After", "5"));
        Decision.Reject reject = (Decision.Reject) Decision.reject(KEY, "slow down", headers);

        headers.put("Set-Cookie", "injected=1");

        assertThat(reject.headers()).containsExactly(Map.entry("Retry-After", "5"));
        assertThatThrownBy(() -> reject.headers().put("X-Other", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void reject_refuses_null_header_values() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Retry-After", null);

        assertThatNullPointerException().isThrownBy(() -> Decision.reject(KEY, "detail", headers));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 204, 301, 599})
    void respond_accepts_statuses_from_100_to_599(int status) {
        Decision.Respond respond = (Decision.Respond) Decision.respond(status, Map.of("Location", "/x"));

        assertThat(respond.status()).isEqualTo(status);
        assertThat(respond.headers()).containsExactly(Map.entry("Location", "/x"));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 99, 600, 1000, Integer.MAX_VALUE})
    void respond_rejects_statuses_outside_100_to_599(int status) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Decision.respond(status, Map.of()))
                .withMessage("status: " + status + " (expected: 100..599)");
    }

    @Test
    void respond_copies_its_headers_and_refuses_nulls() {
        Map<String, String> headers = new HashMap<>(Map.of("Vary", "Origin"));
        Decision.Respond respond = (Decision.Respond) Decision.respond(204, headers);

        headers.clear();

        assertThat(respond.headers()).containsExactly(Map.entry("Vary", "Origin"));
        assertThatThrownBy(() -> respond.headers().remove("Vary")).isInstanceOf(UnsupportedOperationException.class);
        assertThatNullPointerException().isThrownBy(() -> Decision.respond(204, null));
    }

    @Test
    void decisions_are_exhaustively_one_of_three_kinds() {
        Decision[] decisions = {Decision.proceed(), Decision.reject(KEY, "d"), Decision.respond(204, Map.of())};
        StringBuilder kinds = new StringBuilder();
        for (Decision d : decisions) {
            kinds.append(
                    switch (d) {
                        case Decision.Proceed p -> "proceed ";
                        case Decision.Reject r -> "reject:" + r.key().status() + " ";
                        case Decision.Respond r -> "respond:" + r.status();
                    });
        }
        assertThat(kinds).hasToString("proceed reject:403 respond:204");
    }
}
