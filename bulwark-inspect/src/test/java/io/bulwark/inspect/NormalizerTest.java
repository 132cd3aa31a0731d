package io.bulwark.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NormalizerTest {
    private final Normalizer normalizer = Normalizer.defaults();

    @Test
    void plain_value_has_one_form() {
        Normalizer.Normalized n = normalizer.normalize("hello world", false);
        assertThat(n.forms()).containsExactly("hello world");
        assertThat(n.truncated()).isFalse();
    }

    @Test
    void decodes_percent_escapes_repeatedly_up_to_three_rounds() {
        assertThat(normalizer.normalize("%2527", false).forms()).containsExactly("%2527", "'");
        assertThat(normalizer.normalize("%25252527", false).forms()).containsExactly("%25252527", "%27");
        assertThat(normalizer.normalize("%3Cscript%3E", false).forms()).containsExactly("%3Cscript%3E", "<script>");
    }

    @Test
    void decodes_plus_as_space_only_for_form_encoded_values() {
        assertThat(normalizer.normalize("a+b", true).forms()).containsExactly("a+b", "a b");
        assertThat(normalizer.normalize("a+b", false).forms()).containsExactly("a+b");
    }

    @Test
    void decodes_utf8_percent_u_and_overlong_ascii() {
        assertThat(normalizer.normalize("caf%C3%A9", false).forms()).contains("café");
        assertThat(normalizer.normalize("%u003cscript%u003E", false).forms()).contains("<script>");
        assertThat(normalizer.normalize("%c0%ae%c0%ae/", false).forms()).contains("../");
        assertThat(normalizer.normalize("%ff%fe", false).forms()).contains("\u00ff\u00fe");
    }

    @Test
    void keeps_invalid_escapes() {
        assertThat(normalizer.normalize("100%", false).forms()).containsExactly("100%");
        assertThat(normalizer.normalize("%zz%4%u12", false).forms()).containsExactly("%zz%4%u12");
    }

    @Test
    void decodes_html_entities_named_decimal_hex_with_or_without_semicolon() {
        assertThat(normalizer.normalize("&lt;script&gt;", false).forms()).contains("<script>");
        assertThat(normalizer.normalize("&#60;&#x3C;&#X3c&#0000060", false).forms())
                .contains("<<<<");
        assertThat(normalizer.normalize("&quot;&apos&amp;", false).forms()).contains("\"'&");
        assertThat(normalizer.normalize("&amp;lt;", false).forms()).contains("<");
        assertThat(normalizer.normalize("AT&T &unknown; &#; &#x;", false).forms())
                .containsExactly("AT&T &unknown; &#; &#x;");
    }

    @Test
    void folds_full_width_forms_and_removes_controls() {
        assertThat(normalizer.normalize("\uff1cscript\uff1e", false).forms()).contains("<script>");
        assertThat(normalizer.normalize("sel%00ect", false).forms()).contains("select");
        assertThat(normalizer.normalize("un\u200bion", false).forms()).contains("union");
        assertThat(normalizer.normalize("a\tb\r\nc", false).forms()).containsExactly("a\tb\r\nc");
    }

    @Test
    void survives_lone_surrogates() {
        Normalizer.Normalized n = normalizer.normalize("a\ud800b\udc00c%ED%A0%80", false);
        assertThat(n.forms()).isNotEmpty();
        assertThat(n.forms().get(0)).isEqualTo("a\ud800b\udc00c%ED%A0%80");
    }

    @Test
    void at_most_four_distinct_forms_raw_first() {
        Normalizer.Normalized n = normalizer.normalize("%26lt;\uff53\u0000", false);
        assertThat(n.forms()).hasSizeLessThanOrEqualTo(Normalizer.MAX_FORMS);
        assertThat(n.forms().get(0)).isEqualTo("%26lt;\uff53\u0000");
        assertThat(n.forms()).doesNotHaveDuplicates();
        assertThat(n.forms().get(n.forms().size() - 1)).isEqualTo("<s");
    }

    @Test
    void truncates_long_values_and_says_so() {
        Normalizer small = new Normalizer(16);
        Normalizer.Normalized n = small.normalize("x".repeat(100), false);
        assertThat(n.truncated()).isTrue();
        assertThat(n.forms()).allSatisfy(f -> assertThat(f).hasSizeLessThanOrEqualTo(16));
        // a surrogate pair is not split at the cut
        Normalizer.Normalized p = small.normalize("x".repeat(15) + "\ud83d\ude00yy", false);
        assertThat(p.forms().get(0)).hasSize(15);
    }

    @Test
    void bounded_on_a_megabyte_of_percent_25() {
        String v = "%25".repeat(350_000);
        Normalizer.Normalized n = normalizer.normalize(v, false);
        assertThat(n.truncated()).isTrue();
        assertThat(n.forms()).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(64 * 1024));
    }

    @Test
    void bounded_on_deeply_nested_percent_encoding() {
        String v = "%" + "25".repeat(500_000) + "27";
        Normalizer.Normalized n = normalizer.normalize(v, false);
        assertThat(n.truncated()).isTrue();
        assertThat(n.forms()).hasSizeLessThanOrEqualTo(Normalizer.MAX_FORMS);
        // three rounds only: the payload is not fully unwrapped, and no round is worse than linear
        assertThat(normalizer.normalize("%25252527", false).forms()).contains("%27");
    }

    @Test
    void bounded_on_a_megabyte_of_nested_entities() {
        String v = "&" + "amp;".repeat(260_000) + "lt;";
        Normalizer.Normalized n = normalizer.normalize(v, false);
        assertThat(n.truncated()).isTrue();
        assertThat(n.forms()).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(64 * 1024));
        String digits = "&#" + "0".repeat(1_000_000) + "60;";
        assertThat(normalizer.normalize(digits, false).truncated()).isTrue();
    }

    @Test
    void rejects_a_tiny_limit() {
        assertThatThrownBy(() -> new Normalizer(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxValueLength: 3 (expected: >= 16)");
    }
}
