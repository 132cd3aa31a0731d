package io.bulwark.inspect;

import static io.bulwark.inspect.Values.key;
import static io.bulwark.inspect.Values.query;
import static io.bulwark.inspect.Values.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoSqlDetectorTest {
    private final NoSqlDetector detector = new NoSqlDetector();

    private int keyLevel(Location.Source source, String k) {
        return Values.level(detector, key(source, k));
    }

    private int valueLevel(String v) {
        return Values.level(detector, Values.value(Location.Source.JSON, "/password", v));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "$where",
                "$ne",
                "$gt",
                "$gte",
                "$regex",
                "$expr",
                "$function",
                "$accumulator",
                "$nin",
                "$or",
                "$in",
                "$exists",
                "$elemMatch",
                "$NE"
            })
    void flags_operator_json_keys(String k) {
        assertThat(keyLevel(Location.Source.JSON, k)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user[$ne]", "password[$regex]", "login[$gt]", "filter.$where", "a[b][$nin][]"})
    void flags_operator_query_keys(String k) {
        assertThat(keyLevel(Location.Source.QUERY, k)).isEqualTo(1);
    }

    @Test
    void flags_where_key_with_highest_confidence() {
        Finding f = run(detector, key(Location.Source.JSON, "$where")).get(0);
        assertThat(f.confidence()).isGreaterThanOrEqualTo(0.95);
        assertThat(f.evidence()).isEqualTo("$where");
        assertThat(f.category()).isEqualTo(Category.NOSQLI);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "$schema",
                "$ref",
                "$id",
                "price$",
                "total_$ne",
                "user[name]",
                "username",
                "$",
                "$$",
                "a$ne",
                "$neighbour",
                "$comments2"
            })
    void ignores_normal_keys(String k) {
        assertThat(run(detector, key(Location.Source.JSON, k))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"$ne\": null}", "{'$gt': ''}", "user[$ne]=admin"})
    void flags_operator_objects_inside_values(String v) {
        assertThat(valueLevel(v)).isEqualTo(1);
    }

    @Test
    void flags_where_javascript_in_values_at_lower_confidence() {
        List<Finding> js = run(detector, query("'; return this.password.match(/^a.*/) //"));
        assertThat(js).singleElement().satisfies(f -> {
            assertThat(f.paranoia()).isEqualTo(2);
            assertThat(f.confidence()).isLessThan(0.9);
        });
        assertThat(valueLevel("this.isAdmin == true")).isEqualTo(2);
        assertThat(valueLevel("1; sleep(5000)")).isEqualTo(3);
        assertThat(valueLevel("$where: 1")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I paid $100 for this.",
                "Use this. Then that.",
                "sleep(well)",
                "Price: $ne-ish? no",
                "costs $5 and $gt is a word here",
                "this.is fine",
                "alice@example.com",
                "I'll sleep (8h)"
            })
    void ignores_normal_values(String v) {
        assertThat(run(detector, query(v))).isEmpty();
    }

    @Test
    void does_not_look_at_keys_as_values() {
        assertThat(run(detector, query("$ne"))).isEmpty();
    }

    @Test
    void stays_linear_on_adversarial_input() {
        long start = System.nanoTime();
        assertThat(run(detector, query("$".repeat(1 << 20)))).isEmpty();
        assertThat(run(detector, key(Location.Source.QUERY, "[$".repeat(1 << 19))))
                .isEmpty();
        assertThat(run(detector, query("this.".repeat(200_000)))).hasSizeLessThanOrEqualTo(1);
        assertThat(run(detector, query("sleep(".repeat(200_000)))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
