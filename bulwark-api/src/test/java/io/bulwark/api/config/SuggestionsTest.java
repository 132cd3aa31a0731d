package io.bulwark.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
    private static final List<String> KEYS =
            List.of("allow_origins", "allow_methods", "allow_headers", "expose_headers", "max_age");

    @ParameterizedTest
    @CsvSource({
        "allow_origin, allow_origins",
        "allow_orgins, allow_origins",
        "alow_methods, allow_methods",
        "max_aeg, max_age",
        "MAX_AGE, max_age",
        "expose_header, expose_headers"
    })
    void suggests_the_closest_key_for_a_typo(String typo, String expected) {
        assertThat(Suggestions.closest(typo, KEYS)).isEqualTo(expected);
    }

    @Test
    void returns_the_candidate_spelling_even_when_case_differs() {
        assertThat(Suggestions.closest("round_robin", List.of("Round_Robin"))).isEqualTo("Round_Robin");
    }

    @Test
    void suggests_nothing_when_no_key_is_close() {
        assertThat(Suggestions.closest("timeout", KEYS)).isNull();
        assertThat(Suggestions.closest("credentials", KEYS)).isNull();
    }

    @Test
    void suggests_nothing_without_candidates() {
        assertThat(Suggestions.closest("max_age", List.of())).isNull();
    }

    @Test
    void prefers_the_nearest_of_several_candidates() {
        assertThat(Suggestions.closest("allow_headrs", KEYS)).isEqualTo("allow_headers");
    }

    @Test
    void gives_up_on_very_long_input_instead_of_building_a_huge_matrix() {
        String huge = "allow_origins" + "x".repeat(100_000);

        assertThat(Suggestions.distance(huge, "allow_origins")).isEqualTo(Integer.MAX_VALUE);
        assertThat(Suggestions.closest(huge, KEYS)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "'', '', 0",
        "'', abc, 3",
        "abc, '', 3",
        "abc, abc, 0",
        "ab, ba, 1",
        "max_age, max_aeg, 1",
        "kitten, sitting, 3",
        "ca, abc, 3",
        "flaw, lawn, 2"
    })
    void measures_optimal_string_alignment_distance(String a, String b, int distance) {
        assertThat(Suggestions.distance(a, b)).isEqualTo(distance);
        assertThat(Suggestions.distance(b, a)).isEqualTo(distance);
    }

    @Test
    void lists_every_close_candidate_closest_first() {
        assertThat(Suggestions.near("getOrderV2", List.of("listOrders", "getOrder", "getOrderV1", "getUser"), 3))
                .containsExactly("getOrderV1", "getOrder");
        assertThat(Suggestions.near("zzz", List.of("getOrder"), 3)).isEmpty();
    }
}
